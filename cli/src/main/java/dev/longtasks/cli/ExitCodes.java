package dev.longtasks.cli;

/** The documented exit codes (DESIGN §7). With many tasks the worst (highest) code wins. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int TASK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int TIMEOUT = 4;
    public static final int CONFIG = 5;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    public static int worst(int a, int b) {
        return Math.max(a, b);
    }
}
