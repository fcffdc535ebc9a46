package io.troupe.runtime.internal.node;

import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.DowningProvider;
import org.apache.pekko.cluster.sbr.SplitBrainResolverProvider;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * The downing provider of a node that joins itself (a cluster of one): Pekko's split brain resolver, started only
 * once another node has joined.
 *
 * <p>The resolver ticks every second to watch for unreachable nodes, whether or not there are any; a cluster of one
 * has none, and the ticks were a noticeable share of an idle node's CPU. If a node joins this one anyway (nodes meant
 * to form a cluster list seed nodes and keep the resolver from the start), the resolver starts then, with the
 * settings of {@code pekko.cluster.split-brain-resolver}, and learns the membership as it subscribes. Configured as
 * {@code pekko.cluster.downing-provider-class} in {@code troupe-one-node.conf}.
 */
public final class LoneNodeDowning extends DowningProvider {
    private final ActorSystem system;
    private final SplitBrainResolverProvider resolver;

    /** The constructor Pekko calls. */
    public LoneNodeDowning(ActorSystem system) {
        this.system = system;
        this.resolver = new SplitBrainResolverProvider(system);
    }

    @Override
    public FiniteDuration downRemovalMargin() {
        return resolver.downRemovalMargin();
    }

    @Override
    public Option<Props> downingActorProps() {
        Props resolverProps = resolver.downingActorProps().get();
        return Option.apply(Props.create(Watcher.class, () -> new Watcher(Cluster.get(system), resolverProps)));
    }

    /** Starts the split brain resolver as its child when a member other than this node joins. */
    static final class Watcher extends AbstractActor {
        private final Cluster cluster;
        private final Props resolverProps;

        Watcher(Cluster cluster, Props resolverProps) {
            this.cluster = cluster;
            this.resolverProps = resolverProps;
        }

        @Override
        public void preStart() {
            cluster.subscribe(getSelf(), ClusterEvent.initialStateAsEvents(), ClusterEvent.MemberEvent.class);
        }

        @Override
        public void postStop() {
            cluster.unsubscribe(getSelf());
        }

        @Override
        public Receive createReceive() {
            return receiveBuilder()
                    .match(ClusterEvent.MemberEvent.class, this::member)
                    .build();
        }

        private void member(ClusterEvent.MemberEvent event) {
            if (event.member().uniqueAddress().equals(cluster.selfUniqueAddress())) {
                return;
            }
            cluster.unsubscribe(getSelf());
            getContext().become(receiveBuilder().build());
            Props props = resolverProps.dispatcher().equals(org.apache.pekko.actor.Deploy.NoDispatcherGiven())
                    ? resolverProps.withDispatcher(getContext().getProps().dispatcher())
                    : resolverProps;
            getContext().actorOf(props, "split-brain-resolver");
        }
    }
}
