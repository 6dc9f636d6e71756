package dev.kiban.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of an encrypted repository: AES-256-GCM, the key being the SHA-256 of the key file's bytes
 * (so any file of enough randomness works; {@link #generate} writes 32 random bytes, 0600). Every
 * blob, index and snapshot is sealed as a random 12-byte nonce followed by the ciphertext and its tag,
 * so a changed byte is found, not decrypted into wrong data.
 */
public final class RepositoryKey {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;
    private final Path file;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(RepositoryKey::cipher);

    private RepositoryKey(byte[] material, Path file) {
        this.key = new SecretKeySpec(sha256(material), "AES");
        this.file = file;
    }

    /**
     * Reads a key file; a missing or too short one is refused with what to do, and so is one that is a
     * symbolic link, not a regular file, or readable or writable by group or others (a usage mistake:
     * the key opens every backup, so only its owner may read it).
     */
    public static RepositoryKey read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new RepositoryUsageException("the backup key file " + file
                    + " is a symbolic link; kiban reads a key only from a regular "
                    + "file it can check (give the link's target, mode 0600)");
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw new IOException("the backup key file " + file
                + " does not exist");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryUsageException("the backup key file " + file
                    + " is not a regular file; give the file that holds the key");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
            throw new RepositoryUsageException("the backup key file " + file
                    + " is readable or writable by group or others (mode "
                    + PosixFilePermissions.toString(mode) + "); run chmod 600 " + file + " and keep it root's alone");
        }
        byte[] material;
        try (var ch = Files.newByteChannel(file, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            material = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
        }
        if (material.length < 16) {
            throw new IOException("the backup key file " + file + " holds " + material.length
                    + " bytes; a key needs at least 16");
        }
        return new RepositoryKey(material, file);
    }

    /**
     * Writes a new key file of 32 random bytes, created 0600 with O_CREAT|O_EXCL|O_NOFOLLOW: it refuses to
     * overwrite one, or to write through a link, even one created between a check and the write.
     */
    public static RepositoryKey generate(Path file) throws IOException {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent, LinkOption.NOFOLLOW_LINKS)) Files.createDirectories(parent);
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(Base64.getEncoder().encode(material));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException("the backup key file " + file + " exists already; it is never overwritten");
        }
        return read(file);
    }

    public byte[] seal(byte[] plain) {
        return seal(plain, 0, plain.length);
    }

    public byte[] seal(byte[] plain, int offset, int length) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            ByteBuffer out = ByteBuffer.allocate(NONCE + c.getOutputSize(length));
            out.put(nonce);
            c.doFinal(ByteBuffer.wrap(plain, offset, length), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The plain bytes, or an exception when the key is not this one or a byte was changed. */
    public byte[] open(byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < NONCE + TAG_BITS / 8) throw new GeneralSecurityException("too short to be sealed");
        Cipher c = ciphers.get();
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE));
        return c.doFinal(sealed, NONCE, sealed.length - NONCE);
    }

    /**
     * A repository file's bytes, opened with {@code key} when the repository has one; {@code what} names it in the
     * error.
     */
    static byte[] readFile(RepositoryKey key, Path file, String what) throws IOException {
        byte[] bytes;
        java.nio.channels.SeekableByteChannel channel;
        try {
            IOException fault = readFault == null ? null : readFault.apply(file);
            if (fault != null) throw fault;
            // O_NOFOLLOW: a link planted in a repository is not read
            channel = Files.newByteChannel(file, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            throw e;
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UnreadableFileException(what + " " + file + " cannot be read (permission denied)");
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
            if (reason == null) reason = "not a regular file";
            if (reason.contains("Input/output error")) {
                throw new UnreadableFileException(what + " " + file + " cannot be read (" + reason + ")");
            }
            // a link (O_NOFOLLOW), a device, a FIFO: not what kiban wrote there, so damage
            throw new IOException(what + " " + file + " cannot be read (" + reason + ")");
        }
        try (var ch = channel) {
            bytes = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
        } catch (IOException e) {
            // opened, then the read failed: the disk, not the content (a directory: not what kiban wrote)
            String reason = e.getMessage() == null ? "an I/O error" : e.getMessage();
            if (reason.contains("Is a directory")) {
                throw new IOException(what + " " + file + " cannot be read (" + reason + ")");
            }
            throw new UnreadableFileException(what + " " + file + " cannot be read (" + reason + ")");
        }
        if (key == null) return bytes;
        try {
            return key.open(bytes);
        } catch (GeneralSecurityException e) {
            throw new IOException(what + " " + file + " does not decrypt: it is damaged, or of another key");
        }
    }

    /** For tests: a read error to raise for a file as if the disk raised it (null: none). */
    static volatile java.util.function.Function<Path, IOException> readFault;

    /** A value stored in the repository's config that only this key opens: tells a wrong key from damage. */
    String check() {
        return Base64.getEncoder().encodeToString(seal("kiban-backup key check".getBytes(StandardCharsets.UTF_8)));
    }

    boolean opens(String check) {
        try {
            return new String(open(Base64.getDecoder().decode(check)), StandardCharsets.UTF_8)
                    .equals("kiban-backup key check");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Cipher cipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key file this key was read from. */
    Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "RepositoryKey[" + file + "]"; // never the key itself
    }
}
