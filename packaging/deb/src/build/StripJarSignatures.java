import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the package (run with {@code java StripJarSignatures.java DIR}): rewrites every signed
 * jar in DIR without its signature files and without the per-entry digest sections of its manifest
 * (the main section stays). A signed jar on the class path costs the daemon its whole manifest and
 * signature file parsed on the heap for as long as it runs: bcprov's ~6000 entries are about 3 MB of
 * live heap, 5 MiB of resident memory (issue #9). The JDK does not need provider jars to be signed;
 * Debian's own libbcprov-java is unsigned too. Entry order and times are kept.
 */
public final class StripJarSignatures {
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+");

    public static void main(String[] args) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                if (isSigned(jar)) {
                    strip(jar);
                    System.out.println("unsigned " + jar.getFileName());
                }
            }
        }
    }

    private static boolean isSigned(Path jar) throws IOException {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            return z.stream().anyMatch(e -> SIGNATURE.matcher(e.getName()).matches());
        }
    }

    private static void strip(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                if (SIGNATURE.matcher(e.getName()).matches()) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(e)) {
                    if (e.getName().equals(JarFile.MANIFEST_NAME)) {
                        Manifest m = new Manifest(data);
                        m.getEntries().clear();
                        m.write(out);
                    } else {
                        data.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private StripJarSignatures() {
    }
}
