package dev.longtasks.cli.backend;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader and a compact writer for the one body taskctl reads on its start-up
 * path, the task view (see {@link TaskViewReader} for why not Jackson). Objects become maps (a
 * later duplicate key wins, as in Jackson), arrays lists, numbers {@link Num} with their text, JSON
 * null Java null. Nesting is capped at the service's {@code Json.MAX_NESTING_DEPTH}, so hostile
 * JSON cannot blow the stack. What Jackson refuses by default is refused too: comments, single
 * quotes, NaN, leading zeros, control characters in strings, trailing commas or tokens.
 *
 * <p>Why not jackson-core's streaming parser, which needs no mapper: measured against this
 * (BENCHMARKS.md, "taskctl start-up"), it cost an HTTP {@code status} 22-36 ms more CPU with the
 * installed launcher on JDK 25, and 50-95 ms more without a cache. Most of that is one class
 * initialiser: every {@code JsonParser} extends {@code ParserMinimalBase}, whose static fields are
 * {@code BigDecimal}s, and JDK 25's {@code BigDecimal} initialiser squares its way up to 5^65536
 * (~25 ms in a fresh JVM), which no AOT cache keeps. This class needs no {@code BigDecimal}.
 */
final class JsonText {
    private static final int MAX_DEPTH = 200;
    private static final String HEX = "0123456789ABCDEF";

    /** A JSON number as written; {@code integral} when it has neither fraction nor exponent. */
    record Num(String text, boolean integral) {
    }

    private final String text;
    private int pos;
    private int depth;

    private JsonText(String text) {
        this.text = text;
    }

    /** The value of a whole JSON text; nothing but whitespace may follow it. */
    static Object parse(String text) throws IOException {
        JsonText json = new JsonText(text);
        Object value = json.value();
        json.skipSpace();
        if (json.pos != text.length()) {
            throw json.error("the end of the JSON text");
        }
        return value;
    }

    /**
     * A parsed value as compact JSON text, written as Jackson writes a tree it has read: integers
     * in plain digits, other numbers as a double's {@link Double#toString} (too large: the string
     * {@code "Infinity"}), strings escaped only where JSON requires it, in upper-case hex.
     */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b);
        return b.toString();
    }

    // if/else rather than a pattern switch: a switch's first run builds its dispatch class at run
    // time (~3 ms here, which no AOT cache saves), and this runs once per task view.
    private static void write(Object value, StringBuilder b) {
        if (value == null || value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof String s) {
            quote(s, b);
        } else if (value instanceof Num n) {
            number(n, b);
        } else if (value instanceof Map<?, ?> m) {
            b.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(sep);
                quote((String) e.getKey(), b);
                b.append(':');
                write(e.getValue(), b);
                sep = ",";
            }
            b.append('}');
        } else if (value instanceof List<?> l) {
            b.append('[');
            String sep = "";
            for (Object item : l) {
                b.append(sep);
                write(item, b);
                sep = ",";
            }
            b.append(']');
        } else {
            throw new IllegalArgumentException("not a parsed JSON value: " + value.getClass());
        }
    }

    private static void number(Num n, StringBuilder b) {
        if (n.integral()) {
            b.append(new BigInteger(n.text()));
            return;
        }
        double d = Double.parseDouble(n.text());
        b.append(Double.isInfinite(d) ? (d > 0 ? "\"Infinity\"" : "\"-Infinity\"") : Double.toString(d));
    }

    private static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\f' -> b.append("\\f");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** The next member's name (its value comes next), or null at the object's closing brace. */
    private String nextMember(boolean first) throws IOException {
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return null;
        }
        if (!first) {
            expect(',');
        }
        String name = string();
        expect(':');
        return name;
    }

    private Object value() throws IOException {
        skipSpace();
        return switch (peek()) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() throws IOException {
        expect('{');
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
        Map<String, Object> members = new LinkedHashMap<>();
        for (String name = nextMember(true); name != null; name = nextMember(false)) {
            members.put(name, value());
        }
        return members;
    }

    private List<Object> array() throws IOException {
        expect('[');
        if (++depth > MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
        List<Object> items = new ArrayList<>();
        skipSpace();
        for (boolean first = true; peek() != ']'; first = false) {
            if (!first) {
                expect(',');
            }
            items.add(value());
            skipSpace();
        }
        pos++;
        depth--;
        return items;
    }

    private String string() throws IOException {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("an escaped control character");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw error("a valid escape");
            }
        }
    }

    private char hex4() throws IOException {
        int code = 0;
        for (int i = 0; i < 4; i++) {
            char c = next();
            int d = c < 0x80 ? Character.digit(c, 16) : -1;
            if (d < 0) {
                throw error("four hex digits");
            }
            code = code * 16 + d;
        }
        return (char) code;
    }

    private Num number() throws IOException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        boolean integral = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits();
            integral = false;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
            integral = false;
        }
        return new Num(text.substring(start, pos), integral);
    }

    private void digits() throws IOException {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw error("a JSON value");
        }
    }

    private Object literal(String word, Object value) throws IOException {
        if (!text.startsWith(word, pos)) {
            throw error("a JSON value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws IOException {
        skipSpace();
        if (peek() != c) {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private char peek() throws IOException {
        if (pos >= text.length()) {
            throw error("more JSON");
        }
        return text.charAt(pos);
    }

    private char next() throws IOException {
        char c = peek();
        pos++;
        return c;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private IOException error(String expected) {
        return new IOException("expected " + expected + " at offset " + pos);
    }
}
