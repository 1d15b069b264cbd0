package dev.longtasks.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** JSON-shaped hostile bodies: near-valid submits, extreme nesting and size, broken UTF-8. */
final class JsonFuzz {
    private JsonFuzz() {
    }

    /** Random JSON text of bounded depth, including odd numbers and escapes. */
    static Arbitrary<String> values(int depth) {
        Arbitrary<String> scalars = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("1e999999", "-0", "0.0000000000000000000000001", "1E+400", "-1e-400",
                        "9".repeat(2_000), "NaN", "Infinity", "01", "1.", ".5", "+1", "0x10", "true", "false", "null",
                        "\"\\ud800\"", "\"\\u0000\"", "\"\\uZZZZ\"", "\"a\\qb\"", "'single'", "\"\t\"")),
                Tuple.of(3, Arbitraries.strings().ofMaxLength(30).map(JsonFuzz::quote)));
        if (depth <= 0) {
            return scalars;
        }
        Arbitrary<String> arrays = values(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> objects = Arbitraries.strings().ofMaxLength(8).map(JsonFuzz::quote)
                .flatMap(k -> values(depth - 1).map(v -> k + ":" + v)).list().ofMaxSize(4)
                .map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(Tuple.of(3, scalars), Tuple.of(1, arrays), Tuple.of(2, objects));
    }

    /** Mostly well-formed submit bodies with random data, some with syntax broken on purpose. */
    static Arbitrary<String> submitBodies() {
        Arbitrary<String> data = values(3);
        Arbitrary<String> wellFormed = Arbitraries.frequencyOf(
                Tuple.of(3, data.map(d -> "{\"data\":" + d + "}")),
                Tuple.of(4, Arbitraries.strings().ofMaxLength(8).map(JsonFuzz::quote).flatMap(k -> data.map(v -> k + ":" + v))
                        .list().ofMaxSize(3).map(l -> "{\"data\":{" + String.join(",", l) + "}}")),
                Tuple.of(2, Arbitraries.integers().between(-5, 20_000).flatMap(steps -> Arbitraries.integers().between(-5, 70_000)
                        .map(ms -> "{\"data\":{\"steps\":" + steps + ",\"step_ms\":" + ms + "}}"))),
                Tuple.of(2, Arbitraries.of("example", "noop", "counted", "", "EXAMPLE", "../x", "a;b", "http-check")
                        .flatMap(t -> data.map(d -> "{\"type\":" + quote(t) + ",\"data\":" + d + "}"))),
                Tuple.of(1, Arbitraries.of("{}", "[]", "null", "\"data\"", "{\"data\":null}", "{\"data\":1,\"data\":2}",
                        "{\"Data\":{}}", "{\"data\":{}} trailing", "{\"data\":{}}{}", "{\"data\"", "{\"type\":1,\"data\":{}}",
                        "{\"type\":null,\"data\":{}}", "\ufeff{\"data\":{}}")));
        return Arbitraries.frequencyOf(
                Tuple.of(8, wellFormed),
                Tuple.of(2, wellFormed.flatMap(s -> Arbitraries.integers().between(0, Math.max(0, s.length() - 1))
                        .map(cut -> s.substring(0, cut)))));
    }

    static Arbitrary<String> deeplyNested() {
        return Arbitraries.integers().between(150, 100_000).flatMap(depth -> Arbitraries.of("[", "{\"a\":").map(open -> {
            String close = open.equals("[") ? "]" : "}";
            return "{\"data\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
        }));
    }

    static Arbitrary<String> huge() {
        return Arbitraries.integers().between(200_000, 1_500_000).flatMap(n -> Arbitraries.of(
                "{\"data\":{\"s\":\"" + "x".repeat(n) + "\"}}",
                "{\"data\":[" + "1,".repeat(n / 2) + "1]}",
                "{\"data\":{\"" + "k".repeat(n) + "\":1}}"));
    }

    /** A submit body whose string holds an invalid UTF-8 sequence. */
    static Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(
                new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xFE, (byte) 0xFF},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0x80}).flatMap(bad -> Arbitraries.of("key", "value").map(where -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] a = (where.equals("key") ? "{\"data\":{\"" : "{\"data\":{\"k\":\"").getBytes(StandardCharsets.UTF_8);
            byte[] b = (where.equals("key") ? "\":1}}" : "\"}}").getBytes(StandardCharsets.UTF_8);
            out.writeBytes(a);
            out.writeBytes(bad);
            out.writeBytes(b);
            return out.toByteArray();
        }));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
