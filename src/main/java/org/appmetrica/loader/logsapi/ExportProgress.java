package org.appmetrica.loader.logsapi;

/** Callbacks for what a person watching a load wants to see. All methods are optional. */
public interface ExportProgress {

    ExportProgress NONE = new ExportProgress() {
    };

    default void requested(ExportRequest request) {
    }

    /** 202: queued or being prepared; {@code percent} is -1 when the API gave no number. */
    default void waiting(ExportRequest request, String apiText, int percent) {
    }

    default void rateLimited(ExportRequest request, String apiText) {
    }

    default void retrying(ExportRequest request, String reason, int attempt) {
    }

    default void downloaded(ExportRequest request, long bytes, long millis) {
    }
}
