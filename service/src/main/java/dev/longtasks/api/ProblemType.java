package dev.longtasks.api;

/**
 * The closed set of errors the API answers with. Each has a stable {@code type} URI that clients
 * and scripts may match on; titles never change per occurrence, details do.
 */
public enum ProblemType {
    MALFORMED_JSON("malformed-json", 400, "Malformed JSON"),
    INVALID_BODY("invalid-body", 400, "Request body is not a JSON object"),
    MISSING_DATA("missing-data", 400, "Missing 'data'"),
    MISSING_TYPE("missing-type", 400, "Missing or invalid 'type'"),
    UNKNOWN_TASK_TYPE("unknown-task-type", 400, "Unknown task type"),
    INVALID_TASK_INPUT("invalid-task-input", 400, "Invalid task input"),
    INVALID_TASK_ID("invalid-task-id", 400, "Invalid task id"),
    INVALID_IDEMPOTENCY_KEY("invalid-idempotency-key", 400, "Invalid Idempotency-Key"),
    MALFORMED_GZIP("malformed-gzip", 400, "Malformed gzip body"),
    INVALID_STATUS("invalid-status", 400, "Invalid 'status' parameter"),
    INVALID_TYPE("invalid-type", 400, "Invalid 'type' parameter"),
    INVALID_SINCE("invalid-since", 400, "Invalid 'since' parameter"),
    INVALID_LIMIT("invalid-limit", 400, "Invalid 'limit' parameter"),
    INVALID_CURSOR("invalid-cursor", 400, "Invalid 'cursor' parameter"),
    UNKNOWN_PARAMETER("unknown-parameter", 400, "Unknown query parameter"),
    INVALID_INCLUDE("invalid-include", 400, "Invalid 'include' parameter"),
    AUTH_REQUIRED("auth-required", 401, "Authentication required"),
    INVALID_CREDENTIALS("invalid-credentials", 401, "Invalid credentials"),
    ACCESS_NOT_CONFIGURED("access-not-configured", 403, "Route off: no access control configured"),
    NOT_FOUND("not-found", 404, "Not found"),
    TASK_NOT_FOUND("task-not-found", 404, "Task not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    TASK_ALREADY_FINISHED("task-already-finished", 409, "Task already finished"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    UNSUPPORTED_CONTENT_ENCODING("unsupported-content-encoding", 415, "Unsupported content encoding"),
    IDEMPOTENCY_CONFLICT("idempotency-conflict", 422, "Idempotency-Key reused with a different request"),
    INTERNAL_ERROR("internal-error", 500, "Internal server error"),
    LISTING_NOT_AVAILABLE("listing-not-available", 501, "Listing not available"),
    ENQUEUE_FAILED("enqueue-failed", 503, "Task could not be queued"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable"),
    // Answered by the local server's transport before a request reaches the API.
    MALFORMED_REQUEST("malformed-request", 400, "Malformed HTTP request"),
    INVALID_URI("invalid-uri", 400, "Invalid request URI"),
    REQUEST_TIMEOUT("request-timeout", 408, "Request not received in time"),
    URI_TOO_LONG("uri-too-long", 414, "Request line too long"),
    EXPECTATION_FAILED("expectation-failed", 417, "Unsupported expectation"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "Request headers too large"),
    UNSUPPORTED_TRANSFER_ENCODING("unsupported-transfer-encoding", 501, "Unsupported transfer encoding"),
    HTTP_VERSION_NOT_SUPPORTED("http-version-not-supported", 505, "HTTP version not supported");

    public static final String BASE_URI = "https://longtasks.dev/problems/";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return BASE_URI + slug;
    }

    public String slug() {
        return slug;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
