package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ReplayPublisherTest {

    /** Records signals and requests only what the test asks for. */
    private static final class Probe implements Flow.Subscriber<String> {
        final List<String> items = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        boolean completed;
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(String item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            errors.add(throwable);
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    @Test
    void lateSubscriber_receivesEveryItemFromTheFirst() {
        ReplayPublisher<String> publisher = new ReplayPublisher<>();
        publisher.publish("a");
        publisher.publish("b");
        publisher.complete();

        Probe probe = new Probe();
        publisher.subscribe(probe);
        probe.subscription.request(Long.MAX_VALUE);

        assertThat(probe.items).containsExactly("a", "b");
        assertThat(probe.completed).isTrue();
    }

    @Test
    void request_deliversNoMoreThanDemanded_andCompletesOnlyAfterTheLastItem() {
        ReplayPublisher<String> publisher = new ReplayPublisher<>();
        Probe probe = new Probe();
        publisher.subscribe(probe);
        publisher.publish("a");
        publisher.publish("b");
        publisher.publish("c");
        publisher.complete();

        assertThat(probe.items).isEmpty();
        probe.subscription.request(2);
        assertThat(probe.items).containsExactly("a", "b");
        assertThat(probe.completed).isFalse();
        probe.subscription.request(1);
        assertThat(probe.items).containsExactly("a", "b", "c");
        assertThat(probe.completed).isTrue();
    }

    @Test
    void request_nonPositive_signalsAnErrorPerRule3_9() {
        ReplayPublisher<String> publisher = new ReplayPublisher<>();
        Probe probe = new Probe();
        publisher.subscribe(probe);

        probe.subscription.request(0);

        assertThat(probe.errors)
                .singleElement()
                .satisfies(e -> assertThat(e)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("request(0): demand must be positive (Reactive Streams rule 3.9)"));
    }

    @Test
    void cancel_stopsDelivery() {
        ReplayPublisher<String> publisher = new ReplayPublisher<>();
        Probe probe = new Probe();
        publisher.subscribe(probe);
        probe.subscription.request(10);
        publisher.publish("a");
        probe.subscription.cancel();
        publisher.publish("b");
        publisher.complete();

        assertThat(probe.items).containsExactly("a");
        assertThat(probe.completed).isFalse();
    }

    @Test
    void durableSubscriber_skipsTransientItems_completesAfterTheLast_andDoesNotCountAsASubscriber() {
        ReplayPublisher<String> publisher = new ReplayPublisher<>(item -> item.startsWith("~"));
        Probe durable = new Probe();
        publisher.durable().subscribe(durable);
        durable.subscription.request(2);

        assertThat(publisher.hasSubscribers())
                .as("only a subscriber that takes transient items counts")
                .isFalse();
        publisher.publish("a");
        publisher.publish("~t1");
        publisher.publish("~t2");
        publisher.publish("b");
        publisher.publish("c");
        assertThat(durable.items).as("demand is spent on durable items only").containsExactly("a", "b");

        Probe all = new Probe();
        publisher.subscribe(all);
        assertThat(publisher.hasSubscribers()).isTrue();
        all.subscription.request(Long.MAX_VALUE);
        publisher.publish("~t3");
        publisher.complete();
        assertThat(all.items).containsExactly("a", "~t1", "~t2", "b", "c", "~t3");
        assertThat(all.completed).isTrue();

        assertThat(durable.completed).as("c is still owed").isFalse();
        durable.subscription.request(1);
        assertThat(durable.items).containsExactly("a", "b", "c");
        assertThat(durable.completed)
                .as("complete after the last durable item, though a transient one follows it")
                .isTrue();
        assertThat(publisher.hasSubscribers()).isFalse();
    }
}
