package dev.longtasks.cli.nativeimage;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds our classes on the test class path and reads the class and method references of a class file. */
public final class ClassFiles {
    private ClassFiles() {
    }

    /** Binary names of every class under {@code dev/longtasks} in directories and jars on the class path. */
    public static List<String> ourClasses() throws IOException, URISyntaxException {
        Set<String> names = new HashSet<>();
        Enumeration<URL> roots = ClassFiles.class.getClassLoader().getResources("dev/longtasks");
        while (roots.hasMoreElements()) {
            URL url = roots.nextElement();
            if (url.getProtocol().equals("file")) {
                Path root = Path.of(url.toURI()).getParent().getParent();
                try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
                    files.filter(p -> p.toString().endsWith(".class"))
                            .forEach(p -> names.add(binaryName(root.relativize(p).toString().replace('\\', '/'))));
                }
            } else if (url.getProtocol().equals("jar")) {
                try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
                    for (JarEntry e : Collections.list(jar.entries())) {
                        if (e.getName().startsWith("dev/longtasks/") && e.getName().endsWith(".class")) {
                            names.add(binaryName(e.getName()));
                        }
                    }
                }
            }
        }
        return names.stream().filter(n -> !n.endsWith("module-info")).sorted().toList();
    }

    /** Skips to the methods and returns the bytes of each Code attribute. */
    private static List<byte[]> codeAttributes(DataInputStream d, String[] utf8) throws IOException {
        d.readUnsignedShort();
        d.readUnsignedShort();
        d.readUnsignedShort();
        int interfaces = d.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            d.readUnsignedShort();
        }
        skipMembers(d, utf8, null);
        List<byte[]> codes = new ArrayList<>();
        skipMembers(d, utf8, codes);
        return codes;
    }

    private static void skipMembers(DataInputStream d, String[] utf8, List<byte[]> codes) throws IOException {
        int n = d.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            d.readUnsignedShort();
            d.readUnsignedShort();
            d.readUnsignedShort();
            int attrs = d.readUnsignedShort();
            for (int a = 0; a < attrs; a++) {
                String name = utf8[d.readUnsignedShort()];
                byte[] body = new byte[d.readInt()];
                d.readFully(body);
                if (codes != null && "Code".equals(name)) {
                    int len = ((body[4] & 0xff) << 24) | ((body[5] & 0xff) << 16) | ((body[6] & 0xff) << 8) | (body[7] & 0xff);
                    codes.add(Arrays.copyOfRange(body, 8, 8 + len));
                }
            }
        }
    }

    private static String binaryName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    /**
     * The constant pool's class names, method references ({@code owner.name}) and the classes
     * loaded as class literals ({@code ldc} of a class constant, as in {@code readValue(json, X.class)}).
     */
    record Refs(Set<String> classes, Set<String> methods, Set<String> classLiterals) {
    }

    static Refs refs(String binaryName) throws IOException {
        try (InputStream in = ClassFiles.class.getClassLoader().getResourceAsStream(binaryName.replace('.', '/') + ".class");
             DataInputStream d = new DataInputStream(in)) {
            d.readInt();
            d.readUnsignedShort();
            d.readUnsignedShort();
            int count = d.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classIdx = new int[count];
            int[][] refs = new int[count][];
            int[] natName = new int[count];
            List<Integer> methodRefs = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = d.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = d.readUTF();
                    case 3, 4 -> d.readInt();
                    case 5, 6 -> {
                        d.readLong();
                        i++;
                    }
                    case 7 -> classIdx[i] = d.readUnsignedShort();
                    case 8, 16, 19, 20 -> d.readUnsignedShort();
                    case 9, 10, 11 -> {
                        refs[i] = new int[] {d.readUnsignedShort(), d.readUnsignedShort()};
                        if (tag != 9) {
                            methodRefs.add(i);
                        }
                    }
                    case 12 -> {
                        natName[i] = d.readUnsignedShort();
                        d.readUnsignedShort();
                    }
                    case 15 -> {
                        d.readUnsignedByte();
                        d.readUnsignedShort();
                    }
                    case 17, 18 -> d.readInt();
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + binaryName);
                }
            }
            Set<String> classes = new HashSet<>();
            for (int i = 1; i < count; i++) {
                if (classIdx[i] != 0) {
                    classes.add(utf8[classIdx[i]].replace('/', '.'));
                }
            }
            Set<String> methods = new HashSet<>();
            for (int i : methodRefs) {
                String owner = utf8[classIdx[refs[i][0]]].replace('/', '.');
                methods.add(owner + "." + utf8[natName[refs[i][1]]]);
            }
            Set<String> literals = new HashSet<>();
            for (byte[] code : codeAttributes(d, utf8)) {
                // A byte scan, not a full decoder: an operand byte that looks like ldc can only add
                // a class to the result (a stricter check), never hide one.
                for (int pc = 0; pc + 1 < code.length; pc++) {
                    int op = code[pc] & 0xff;
                    int idx = op == 0x12 ? code[pc + 1] & 0xff
                            : op == 0x13 && pc + 2 < code.length ? ((code[pc + 1] & 0xff) << 8) | (code[pc + 2] & 0xff) : 0;
                    if (idx > 0 && idx < count && classIdx[idx] != 0) {
                        literals.add(utf8[classIdx[idx]].replace('/', '.'));
                    }
                }
            }
            return new Refs(classes, methods, literals);
        }
    }
}
