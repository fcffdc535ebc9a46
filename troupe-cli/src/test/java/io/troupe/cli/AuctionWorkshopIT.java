package io.troupe.cli;

import static io.troupe.cli.Cli.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auction-workshop example through the packaged CLI on stories260K: the writers bid, the best value writes, and
 * {@code replay --why} explains the award from the journal alone.
 */
class AuctionWorkshopIT {
    private static final Path EXAMPLE = Cli.ROOT.resolve("examples/auction-workshop.yaml");
    private static final Pattern RUN_ID = Pattern.compile("(?m)^Run id:\\s+(\\S+)$");
    private static final Pattern WINNER = Pattern.compile("(?m)^@team → (ann|ben|cat) ACCEPT: ");

    @Test
    void run_awardsTheContract_andReplayExplainsWhyTheWinnerWon(@TempDir Path journal) throws Exception {
        Cli.Result run = troupe("run", EXAMPLE.toString(), "--journal", journal.toString());

        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(run.stdout())
                .contains("@team → ann, ben, cat CFP: Call for proposals.")
                .containsPattern("(?m)^ann → @team (PROPOSE|REFUSE): ")
                .containsPattern("(?m)^ {2}⚖ award by best-value ")
                .containsPattern("(?m)^Result:\\s+completed: ");
        Matcher winner = WINNER.matcher(run.stdout());
        assertThat(winner.find()).as(run.stdout()).isTrue();
        Matcher id = RUN_ID.matcher(run.stdout());
        assertThat(id.find()).isTrue();

        Cli.Result why = troupe("replay", id.group(1), "--journal", journal.toString(), "--why", winner.group(1));

        assertThat(why.exitCode()).as(why.describe()).isZero();
        assertThat(why.stdout())
                .startsWith("2 decisions chose '" + winner.group(1) + "' in run " + id.group(1) + ":")
                .contains("award by best-value")
                .contains("payment by bid cost");
    }
}
