package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.models.llamacpp.CatalogEntry;
import io.troupe.models.llamacpp.ModelManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code troupe models list|pull NAME}: the catalog of local llama.cpp models, and their download cache. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the catalog of local models, or downloads one into the cache.",
            "The cache is $TROUPE_MODEL_DIR if set, else ~/.cache/troupe/models."
        },
        subcommands = {ModelsCommand.List.class, ModelsCommand.Pull.class},
        footerHeading = "%nExamples:%n",
        footer = {"  troupe models list", "  troupe models pull stories260K"})
final class ModelsCommand implements Runnable {
    @CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command: list or pull");
    }

    /** {@code troupe models list}. */
    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Prints every catalog model: name, size, licence, sha256, and whether it is in the cache.",
            footerHeading = "%nExamples:%n",
            footer = {"  troupe models list", "  TROUPE_MODEL_DIR=~/models troupe models list"})
    static final class List implements Callable<Integer> {
        @Override
        public Integer call() {
            Path cache = ModelManager.defaultCacheDir().toAbsolutePath().normalize();
            System.out.println("Cache: " + cache);
            System.out.printf(
                    Locale.ROOT, "%-24s %10s  %-11s %-64s  %s%n", "NAME", "SIZE", "LICENCE", "SHA256", "CACHED");
            for (CatalogEntry entry : ModelManager.CATALOG) {
                boolean cached = Files.isRegularFile(cache.resolve(entry.fileName()));
                System.out.printf(
                        Locale.ROOT,
                        "%-24s %10s  %-11s %-64s  %s%n",
                        entry.name(),
                        size(entry.size()),
                        entry.licence(),
                        entry.sha256(),
                        cached ? "yes" : "no");
            }
            return Main.OK;
        }

        private static String size(long bytes) {
            if (bytes >= 1_000_000_000L) {
                return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
            }
            if (bytes >= 1_000_000L) {
                return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
            }
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
        }
    }

    /** {@code troupe models pull NAME}. */
    @Command(
            name = "pull",
            mixinStandardHelpOptions = true,
            description = {
                "Downloads the catalog model NAME into the cache (or checks the cached copy) and prints its path.",
                "Exit code 0: the file is ready; 2: unknown name or a bad file; 3: offline, or the download failed."
            },
            footerHeading = "%nExamples:%n",
            footer = {"  troupe models pull stories260K", "  TROUPE_MODEL_DIR=~/models troupe models pull stories260K"})
    static final class Pull implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "A catalog name, as 'troupe models list' prints it.")
        @SuppressWarnings("NullAway.Init")
        String name;

        @Override
        public Integer call() {
            Path file;
            try {
                file = ModelManager.standard().resolve(name);
            } catch (TroupeException e) {
                System.err.println("error: " + Main.describe(e));
                return Main.exitCode(e);
            }
            System.out.println(file);
            return Main.OK;
        }
    }
}
