package dev.longtasks.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A borderless table with upper-case headers (kcctl style). Widths are measured on the plain
 * text, so colouring a cell (only the state column is coloured) never breaks the alignment.
 */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<UnaryOperator<String>>> styles = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(List<String> cells, List<UnaryOperator<String>> cellStyles) {
        rows.add(cells);
        styles.add(cellStyles);
        return this;
    }

    public Table row(String... cells) {
        List<UnaryOperator<String>> none = new ArrayList<>();
        for (int i = 0; i < cells.length; i++) {
            none.add(UnaryOperator.identity());
        }
        return row(List.of(cells), none);
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        out.println(line(headers, null, widths));
        for (int r = 0; r < rows.size(); r++) {
            out.println(line(rows.get(r), styles.get(r), widths));
        }
        out.flush();
    }

    private static String line(List<String> cells, List<UnaryOperator<String>> st, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean last = i == cells.size() - 1;
            sb.append(st == null ? cell : st.get(i).apply(cell));
            if (!last) {
                sb.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        return sb.toString().stripTrailing();
    }
}
