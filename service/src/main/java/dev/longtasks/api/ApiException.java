package dev.longtasks.api;

/**
 * Carries a {@link Problem} out of request parsing to {@link TaskApi}, which turns it into the
 * response. It never leaves the API core.
 */
public final class ApiException extends RuntimeException {
    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.type().slug(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
