package dev.longtasks.task;

import java.nio.charset.StandardCharsets;

/** Bounds the messages a handler hands the runner, so a record always fits its store item. */
final class Messages {
    private Messages() {
    }

    /**
     * {@code text} cut to at most {@code maxBytes} UTF-8 bytes, marker included, never inside a
     * character; unchanged when it fits.
     */
    static String cap(String text, int maxBytes) {
        if (text == null) {
            return null;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return text;
        }
        String marker = " [... cut, " + utf8.length + " bytes in all]";
        int room = Math.max(0, maxBytes - marker.length());
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > room) {
                break;
            }
            kept.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return kept.append(marker).toString();
    }
}
