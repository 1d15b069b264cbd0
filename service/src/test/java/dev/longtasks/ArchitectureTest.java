package dev.longtasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN §2, checked on the compiled classes: every class, method and
 * field a class refers to is named in its constant pool, so an inline fully qualified name is
 * caught as surely as an import. The core owns its ports and knows no adapter; the adapters
 * never reach into the composition root.
 */
class ArchitectureTest {
    private static final Path CLASSES = Path.of("target", "classes", "dev", "longtasks");
    private static final Pattern OUR_PACKAGE = Pattern.compile("dev/longtasks/([a-z]+)/");
    private static final Set<String> ADAPTERS_AND_WIRING =
            Set.of("store", "events", "metrics", "handlers", "aws", "config", "wiring", "api", "lambda", "local", "cli");

    @Nested
    class The_core {
        @Test
        void task_refers_to_no_adapter_package_and_not_to_the_wiring() {
            assertThat(references("task", ADAPTERS_AND_WIRING)).isEmpty();
        }
    }

    @Nested
    class The_adapters {
        @Test
        void store_and_events_never_refer_to_the_wiring_or_the_entry_points() {
            Set<String> above = Set.of("wiring", "api", "lambda", "local", "cli");
            assertThat(references("store", above)).isEmpty();
            assertThat(references("events", above)).isEmpty();
            assertThat(references("metrics", above)).isEmpty();
        }

        @Test
        void nothing_in_the_service_refers_to_the_cli() {
            List<String> all = new ArrayList<>();
            for (String pkg : packages()) {
                all.addAll(references(pkg, Set.of("cli")));
            }
            assertThat(all).isEmpty();
        }
    }

    @Nested
    class The_check_itself {
        @Test
        void sees_what_the_wiring_refers_to() {
            // A reader that found nothing would pass every rule above: wiring must show its adapters.
            assertThat(references("wiring", ADAPTERS_AND_WIRING))
                    .anyMatch(r -> r.endsWith("-> store"))
                    .anyMatch(r -> r.endsWith("-> events"))
                    .anyMatch(r -> r.endsWith("-> config"));
        }
    }

    /** "Class -> package" for every class of {@code pkg} (nested packages included) that names a forbidden package. */
    private static List<String> references(String pkg, Set<String> forbidden) {
        Path dir = CLASSES.resolve(pkg);
        assertThat(dir).as("compiled classes of %s", pkg).isDirectory();
        TreeMap<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                for (String s : utf8Constants(f)) {
                    Matcher m = OUR_PACKAGE.matcher(s);
                    while (m.find()) {
                        if (forbidden.contains(m.group(1)) && !m.group(1).equals(pkg)) {
                            found.computeIfAbsent(CLASSES.relativize(f).toString(), k -> new TreeSet<>()).add(m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        found.forEach((cls, targets) -> targets.forEach(t -> out.add(cls + " -> " + t)));
        return out;
    }

    private static List<String> packages() {
        try (Stream<Path> dirs = Files.list(CLASSES)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CONSTANT_Utf8 entries of a class file: class names, descriptors, signatures. */
    private static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(raw)) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> out.add(readUtf8(in));
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // longs and doubles take two slots
                    }
                    default -> throw new IOException(classFile + ": unknown constant pool tag " + tag);
                }
            }
        }
        return out;
    }

    private static String readUtf8(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] bytes = in.readNBytes(length);
        ByteArrayOutputStream framed = new ByteArrayOutputStream(length + 2);
        try (DataOutputStream d = new DataOutputStream(framed)) {
            d.writeShort(length);
            d.write(bytes);
        }
        return new DataInputStream(new ByteArrayInputStream(framed.toByteArray())).readUTF();
    }
}
