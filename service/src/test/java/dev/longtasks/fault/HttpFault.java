package dev.longtasks.fault;

import java.nio.charset.StandardCharsets;

/**
 * A canned HTTP answer the {@link FaultProxy} gives instead of forwarding a request: a plain
 * 500/503, or the exact JSON error DynamoDB sends when it throttles (the AWS SDK maps it to
 * {@code ProvisionedThroughputExceededException} / {@code ThrottlingException} and retries it).
 */
public record HttpFault(int status, String contentType, String body) {

    public static HttpFault internalServerError() {
        return new HttpFault(500, "text/plain", "injected 500");
    }

    public static HttpFault serviceUnavailable() {
        return new HttpFault(503, "text/plain", "injected 503");
    }

    public static HttpFault provisionedThroughputExceeded() {
        return dynamoDbError("ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded (injected)");
    }

    public static HttpFault throttling() {
        return dynamoDbError("ThrottlingException", "Rate of requests exceeds the allowed throughput (injected)");
    }

    private static HttpFault dynamoDbError(String type, String message) {
        return new HttpFault(400, "application/x-amz-json-1.0",
                "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type + "\",\"message\":\"" + message + "\"}");
    }

    byte[] toBytes() {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + payload.length + "\r\n"
                + "x-amzn-RequestId: fault-proxy\r\n"
                + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + payload.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(payload, 0, all, h.length, payload.length);
        return all;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
