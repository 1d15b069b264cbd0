package dev.longtasks.release;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of a Markdown file, and whether each resolves: the target file or folder
 * exists inside the repository, and a {@code #anchor} names a heading of the Markdown file it points
 * to, by GitHub's slug rules. Links inside code (fenced blocks, inline spans) are not links.
 */
final class MarkdownLinks {
    /** {@code [text](target)} or {@code [text](target "title")}; the text may hold nested brackets. */
    private static final Pattern INLINE = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition: {@code [id]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s+<?([^\\s>]+)>?");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern MARKDOWN_LINK_TEXT = Pattern.compile("!?\\[([^\\]]*)\\]\\([^)]*\\)");

    private MarkdownLinks() {
    }

    /** One broken link: where it is and why it does not resolve. */
    record Broken(Path file, String target, String reason) {
        @Override
        public String toString() {
            return file.getFileName() + ": (" + target + ") " + reason;
        }
    }

    /** Every relative link of {@code file} that does not resolve inside {@code root}. */
    static List<Broken> broken(Path root, Path file) {
        List<Broken> out = new ArrayList<>();
        for (String target : relativeLinks(RepoFiles.read(file))) {
            String reason = unresolved(root, file, target);
            if (reason != null) {
                out.add(new Broken(file, target, reason));
            }
        }
        return out;
    }

    /** The link targets of a Markdown text that have no scheme (not http:, mailto:, ...). */
    static List<String> relativeLinks(String markdown) {
        String prose = withoutCode(markdown);
        List<String> targets = new ArrayList<>();
        for (Pattern p : List.of(INLINE, REFERENCE)) {
            Matcher m = p.matcher(prose);
            while (m.find()) {
                if (!SCHEME.matcher(m.group(1)).find()) {
                    targets.add(m.group(1));
                }
            }
        }
        return targets;
    }

    /** The anchors GitHub gives the headings of a Markdown text, duplicates numbered -1, -2, ... */
    static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : markdown.lines().toList()) {
            if (isFence(line)) {
                inFence = !inFence;
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (!inFence && h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return out;
    }

    /** GitHub's heading slug: the rendered text, lower case, punctuation and symbols dropped, spaces to '-'. */
    static String slug(String heading) {
        String text = MARKDOWN_LINK_TEXT.matcher(heading).replaceAll("$1");
        text = CODE_SPAN.matcher(text).replaceAll("$2").replace("*", "");
        return text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
                .replace(' ', '-');
    }

    private static String unresolved(Path root, Path file, String target) {
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
        Path resolved = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file: " + root.relativize(resolved);
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(RepoFiles.read(resolved)).contains(anchor)) {
            return "no heading #" + anchor + " in " + root.relativize(resolved);
        }
        return null;
    }

    private static String withoutCode(String markdown) {
        StringBuilder prose = new StringBuilder();
        boolean inFence = false;
        for (String line : markdown.lines().toList()) {
            if (isFence(line)) {
                inFence = !inFence;
            } else if (!inFence) {
                prose.append(CODE_SPAN.matcher(line).replaceAll("")).append('\n');
            }
        }
        return prose.toString();
    }

    private static boolean isFence(String line) {
        String s = line.stripLeading();
        return s.startsWith("```") || s.startsWith("~~~");
    }
}
