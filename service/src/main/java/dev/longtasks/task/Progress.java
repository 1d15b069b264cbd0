package dev.longtasks.task;

/** How far a running task has come, as its handler last reported. */
public record Progress(int percent, String message) {
    public Progress {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress percent must be 0..100, was " + percent);
        }
    }
}
