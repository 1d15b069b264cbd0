import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Copies a jar, rewriting each class file older than Java 6 (major version < 50) as a Java 8 one
 * (52) with the stack map frames that version requires. The bytecode itself is not changed.
 * Run by install.sh on JDK 25+ (the ClassFile API is final since 24) as
 * {@code java scripts/RetargetClassFiles.java IN.jar OUT.jar}.
 *
 * <p>Why: picocli ships Java 5 class files. The JVM checks those with its old verifier, and an AOT
 * cache cannot hold classes verified that way ("Old class has been linked"), so JDK 25 left
 * picocli, and our classes that implement its interfaces, out of the cache: they were read and
 * verified from the jar on every run. Rewritten, they are cached and AOT-linked like the rest.
 * Each rewritten class is checked with the ClassFile API's verifier; any error fails the run, and
 * install.sh then installs the jar unchanged.
 */
public final class RetargetClassFiles {
    private static final int OLDEST_WITH_STACK_MAPS = 50;
    private static final int TARGET = 52;

    public static void main(String... args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java scripts/RetargetClassFiles.java IN.jar OUT.jar");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        int rewritten = 0;
        try (ZipFile in = new ZipFile(args[0]);
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            // The jar is 30 MB of mostly unchanged entries: compress fast, install time matters more.
            zip.setLevel(Deflater.BEST_SPEED);
            ClassFile classFile = ClassFile.of(
                    ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(
                            ClassHierarchyResolver.ofResourceParsing(desc -> open(in, desc))
                                    .orElse(ClassHierarchyResolver.defaultResolver()).cached()));
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    ClassModel model = classFile.parse(bytes);
                    if (model.majorVersion() < OLDEST_WITH_STACK_MAPS) {
                        bytes = retarget(classFile, model);
                        rewritten++;
                    }
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                zip.putNextEntry(copy);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        System.err.println("rewrote " + rewritten + " class files as Java " + (TARGET - 44) + " in " + out);
    }

    private static byte[] retarget(ClassFile classFile, ClassModel model) {
        // Rebuilding every method body is what makes the ClassFile API compute its stack maps.
        byte[] bytes = classFile.transformClass(model,
                ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL).andThen((builder, element) -> {
                    if (element instanceof ClassFileVersion) {
                        builder.withVersion(TARGET, 0);
                    } else {
                        builder.with(element);
                    }
                }));
        List<VerifyError> errors = classFile.verify(bytes);
        if (!errors.isEmpty()) {
            throw new IllegalStateException(model.thisClass().asInternalName() + " does not verify once rewritten: " + errors);
        }
        return bytes;
    }

    private static InputStream open(ZipFile jar, ClassDesc desc) {
        String name = desc.descriptorString();
        ZipEntry e = jar.getEntry(name.substring(1, name.length() - 1) + ".class");
        try {
            return e == null ? null : jar.getInputStream(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private RetargetClassFiles() {
    }
}
