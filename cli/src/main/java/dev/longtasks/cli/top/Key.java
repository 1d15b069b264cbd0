package dev.longtasks.cli.top;

import java.io.IOException;
import java.io.InputStream;

/** The keys {@code taskctl top} acts on, read from a terminal in raw mode. */
public enum Key {
    UP, DOWN, QUIT, CANCEL, YES, NO, REFRESH, OTHER;

    /**
     * Reads one key press: arrow keys arrive as {@code ESC [ A} (or {@code ESC O A} in application
     * mode), in one burst, so the bytes after an ESC are read only when they are already there; a
     * lone ESC is {@link #OTHER}. Returns null at the end of the input.
     */
    public static Key read(InputStream in) throws IOException {
        int c = in.read();
        if (c < 0) {
            return null;
        }
        if (c == 0x1b) {
            if (in.available() < 2) {
                return OTHER;
            }
            int kind = in.read();
            int code = in.read();
            if (kind == '[' || kind == 'O') {
                return switch (code) {
                    case 'A' -> UP;
                    case 'B' -> DOWN;
                    default -> OTHER;
                };
            }
            return OTHER;
        }
        return of((char) c);
    }

    static Key of(char c) {
        return switch (c) {
            case 'k', 'K' -> UP;
            case 'j', 'J' -> DOWN;
            case 'q', 'Q' -> QUIT;
            case 'c', 'C' -> CANCEL;
            case 'y', 'Y' -> YES;
            case 'n', 'N' -> NO;
            case 'r', 'R' -> REFRESH;
            default -> OTHER;
        };
    }
}
