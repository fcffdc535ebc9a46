package io.troupe.models.llamacpp;

import java.io.PrintStream;
import java.util.Locale;

/** Receives the progress of a model download; called from the downloading thread. */
@FunctionalInterface
public interface DownloadProgress {
    /** Ignores progress. */
    DownloadProgress NONE = (name, downloaded, total) -> {};

    /**
     * Called as bytes arrive, and once more when the file is complete.
     *
     * @param name the catalog name of the model
     * @param downloaded bytes on disk so far, including a resumed part
     * @param total the file's full size in bytes
     */
    void update(String name, long downloaded, long total);

    /** A one-line progress bar on standard error, redrawn at each whole percent. */
    static DownloadProgress stderrBar() {
        return bar(System.err);
    }

    /** A one-line progress bar on {@code out}, redrawn at each whole percent. */
    static DownloadProgress bar(PrintStream out) {
        return new DownloadProgress() {
            private long lastPercent = -1;

            @Override
            public synchronized void update(String name, long downloaded, long total) {
                long percent = total <= 0 ? 0 : Math.min(100, downloaded * 100 / total);
                if (percent == lastPercent) {
                    return;
                }
                lastPercent = percent;
                int filled = (int) (percent / 5);
                out.printf(
                        Locale.ROOT,
                        "\r%s [%s%s] %3d%% %.1f/%.1f MB",
                        name,
                        "#".repeat(filled),
                        " ".repeat(20 - filled),
                        percent,
                        downloaded / 1e6,
                        total / 1e6);
                if (percent == 100) {
                    out.println();
                    lastPercent = -1;
                }
                out.flush();
            }
        };
    }
}
