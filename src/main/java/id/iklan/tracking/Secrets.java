package id.iklan.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * Secrets (the admin token, the tracking secret) come from the environment, else the config
 * file, else a file in the data directory, generated at first start and readable by its owner
 * only. The log names the file, never the secret.
 */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * Makes a stored secret readable by its owner only, if anyone else could read it (a copy made
   * with the wrong umask, a restored backup), and says so in the log (the path, not the secret).
   */
  static void ownerOnly(Path file, Consumer<String> log) throws IOException {
    try {
      var mode = Files.getPosixFilePermissions(file);
      var wanted = PosixFilePermissions.fromString("rw-------");
      if (!mode.equals(wanted)) {
        Files.setPosixFilePermissions(file, wanted);
        log.accept(file.toAbsolutePath() + " was " + PosixFilePermissions.toString(mode)
            + "; made it readable by its owner only (rw-------)");
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }

  /**
   * @param environment value of the environment variable, or null
   * @param configured value from the config file, or null
   * @param file where a generated secret is kept
   * @param log receives one line when a secret file is created
   */
  public static String resolve(String environment, String configured, Path file,
      Consumer<String> log) throws IOException {
    if (environment != null && !environment.isBlank()) {
      return environment.strip();
    }
    if (configured != null && !configured.isBlank()) {
      return configured.strip();
    }
    if (Files.exists(file)) {
      ownerOnly(file, log);
      String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!stored.isEmpty()) {
        return stored;
      }
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    writeOwnerOnly(file, generated);
    log.accept("generated " + file.toAbsolutePath() + " (readable by its owner only)");
    return generated;
  }

  /**
   * Keeps a copy of a secret that lives elsewhere (PostgreSQL, shared by a deployment's servers)
   * in {@code file}, readable by its owner only, so that ad ops find the admin token where
   * SPEC §5 says it is: in the data directory, named in the log.
   *
   * @param origin where the secret itself lives, for the log line
   */
  public static void keepCopy(Path file, String secret, String origin, Consumer<String> log)
      throws IOException {
    if (Files.exists(file)) {
      ownerOnly(file, log);
      if (Files.readString(file, StandardCharsets.UTF_8).strip().equals(secret)) {
        log.accept(origin + ": a copy is in " + file.toAbsolutePath());
        return;
      }
    }
    writeOwnerOnly(file, secret);
    log.accept("copied " + origin + " to " + file.toAbsolutePath()
        + " (readable by its owner only)");
  }

  /** Writes {@code secret} to {@code file} atomically, created readable by its owner only. */
  private static void writeOwnerOnly(Path file, String secret) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temp);
    } catch (FileAlreadyExistsException e) {
      // lost a race with another start in the same directory; fall through and overwrite
    }
    Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
