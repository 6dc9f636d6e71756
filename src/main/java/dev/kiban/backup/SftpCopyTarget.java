package dev.kiban.backup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * A {@link CopyTarget} on an SFTP server (Apache MINA SSHD's client). Logs in with one private key only
 * ({@code --identity}; no password, no agent) after checking the server's host key against a known_hosts file:
 * an unknown or changed key is refused with its fingerprint, never accepted or written. On the server nothing
 * is followed: the target and every directory and file in it are read with lstat, and a link is refused.
 * A file is written under a temporary name created exclusively, then renamed (SFTP's rename fails when the
 * name exists, so a file already there is never replaced); the lock is a file created exclusively.
 */
public final class SftpCopyTarget implements CopyTarget {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * Bytes per SFTP read or write request: MINA's default 32 KiB made a loopback copy 32 MB/s, 128 KiB 37-45
     * (64 and 255 KiB no better; OpenSSH's server takes up to 255 KiB).
     */
    private static final int IO_BUFFER = 128 * 1024;
    private static final Pattern TEMP = Pattern.compile("\\..+\\.tmp");

    private final CopyAddress address;
    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;
    private boolean locked;

    private SftpCopyTarget(CopyAddress address, SshClient client, ClientSession session, SftpClient sftp) {
        this.address = address;
        this.client = client;
        this.session = session;
        this.sftp = sftp;
    }

    /**
     * Connects and logs in: {@code identity} is the private key (a regular file, not a link, readable by its owner
     * only), {@code knownHosts} the file holding the server's key. Refuses (exit 3), writing nothing, an unknown
     * or changed host key, a refused login, an unreachable server, a target that is a link or a file.
     */
    public static SftpCopyTarget open(CopyAddress address, Path identity, Path knownHosts) throws IOException {
        KeyPair key = privateKey(identity);
        if (!Files.isRegularFile(knownHosts)) {
            throw new CopyTargetUnavailableException("the known_hosts file " + knownHosts + " does not exist: kiban "
                    + "checks the server's host key against it and never accepts one blindly; add the server's key ("
                    + addKey(address, knownHosts) + ") or give --known-hosts FILE");
        }
        HostKeyCheck check = new HostKeyCheck(knownHosts);
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(check);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.start();
        ClientSession session = null;
        try {
            try {
                session = client.connect(address.user(), address.host(), address.port()).verify(TIMEOUT).getSession();
            } catch (IOException e) {
                throw unreachable(address, e);
            }
            session.addPublicKeyIdentity(key);
            try {
                session.auth().verify(TIMEOUT);
            } catch (IOException e) {
                if (check.refusal != null) throw new CopyTargetUnavailableException(check.refusal);
                if (!String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("authentication")) {
                    throw unreachable(address, e);
                }
                throw new CopyTargetUnavailableException("the SFTP server " + address.host() + " refused the login of "
                        + address.user() + " with the key " + identity + " (public key authentication): check the user "
                        + "name and that the key's public half is in that user's ~/.ssh/authorized_keys on the server");
            }
            SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
            SftpCopyTarget target = new SftpCopyTarget(address, client, session, sftp);
            target.refuseLinks();
            return target;
        } catch (IOException | RuntimeException e) {
            if (session != null) session.close(true);
            client.stop();
            throw e;
        }
    }

    private static CopyTargetUnavailableException unreachable(CopyAddress address, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String why = root instanceof ConnectException ? "connection refused"
                : root instanceof UnknownHostException || root instanceof UnresolvedAddressException ? "unknown host"
                : root instanceof NoRouteToHostException ? "no route to host"
                : "no answer within " + TIMEOUT.toSeconds() + " s or the connection was closed";
        return new CopyTargetUnavailableException("cannot reach the SFTP server " + address.host() + " port "
                + address.port() + " (" + why + "): is it up, and is the address right?");
    }

    private static String addKey(CopyAddress address, Path knownHosts) {
        return "compare its fingerprint with the one the server's administrator reads from ssh-keygen -lf "
                + "/etc/ssh/ssh_host_ed25519_key.pub, then: ssh-keyscan" + (address.port() == 22 ? "" : " -p "
                + address.port()) + " " + address.host() + " >> " + knownHosts;
    }

    /** The private key, read without following a link; refused when others may read it (as ssh refuses it). */
    private static KeyPair privateKey(Path identity) throws IOException {
        if (!Files.isRegularFile(identity, LinkOption.NOFOLLOW_LINKS)) {
            throw new RepositoryUsageException("--identity " + identity + ": not a regular file (a link or missing): "
                    + "give the private key file itself");
        }
        Set<PosixFilePermission> perms = Files.readAttributes(identity, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).permissions();
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new RepositoryUsageException("--identity " + identity + ": the private key is readable or writable "
                    + "by group or others; chmod 600 it first");
        }
        byte[] bytes = Files.readAllBytes(identity);
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null,
                    NamedResource.ofName(identity.toString()), in, FilePasswordProvider.EMPTY);
            if (keys != null) {
                for (KeyPair k : keys) return k;
            }
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            // the parser's message may quote the file: only its path is said
            throw new RepositoryUsageException("--identity " + identity + ": not a private key kiban can read "
                    + "(an OpenSSH or PEM key without a passphrase: kiban runs unattended)");
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        throw new RepositoryUsageException("--identity " + identity + ": holds no private key");
    }

    /** The known_hosts check: records why a key was refused (the fingerprint and how to add it). */
    private static final class HostKeyCheck extends KnownHostsServerKeyVerifier {
        private final Path file;
        volatile String refusal;

        HostKeyCheck(Path file) {
            super(RejectAllServerKeyVerifier.INSTANCE, file);
            this.file = file;
            setModifiedServerKeyAcceptor(this::changed);
        }

        @Override
        protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
            refusal = "the SFTP server " + remote + " presented a host key that " + file + " does not know ("
                    + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + "); kiban never accepts a host "
                    + "key blindly: if that fingerprint is the server's, add it and run again";
            return false;
        }

        private boolean changed(ClientSession session, SocketAddress remote, KnownHostEntry entry, PublicKey expected,
                PublicKey actual) {
            refusal = "the host key of the SFTP server " + remote + " CHANGED: " + file + " holds "
                    + KeyUtils.getFingerPrint(expected) + ", the server presented " + KeyUtils.getKeyType(actual) + " "
                    + KeyUtils.getFingerPrint(actual) + "; this may be an attack (someone in the middle) or a "
                    + "reinstalled server: check with its administrator, then replace its line in " + file
                    + " (ssh-keygen -R HOST -f " + file + ")";
            return false;
        }
    }

    @Override
    public String describe() {
        return address.describe();
    }

    private String path(String name) {
        if (!CopyPlan.isRepositoryFile(name) && !name.equals(RepositoryLock.FILE)) {
            throw new IllegalArgumentException("not a repository file: " + name);
        }
        return address.path() + "/" + name;
    }

    /** lstat, or null when nothing is there. */
    private SftpClient.Attributes lstat(String path) throws IOException {
        try {
            return sftp.lstat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
                    || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return null;
            }
            throw e;
        }
    }

    /** The target itself: a directory, or nothing yet; a link or a file is refused. */
    private void refuseLinks() throws IOException {
        SftpClient.Attributes a = lstat(address.path());
        if (a == null) {
            String parent = address.path().substring(0, Math.max(1, address.path().lastIndexOf('/')));
            SftpClient.Attributes p = lstat(parent);
            if (p == null || !p.isDirectory()) {
                throw new CopyTargetUnavailableException("the directory " + parent + " that would hold the copy "
                        + describe() + " does not exist on the server (or is a link): create it there first");
            }
            return;
        }
        if (a.isSymbolicLink()) {
            throw new RepositoryUsageException("refusing to copy to " + describe() + ": it is a symbolic link on the "
                    + "server; kiban never follows a link at a copy's destination: give the real directory");
        }
        if (!a.isDirectory()) throw new RepositoryUsageException("refusing to copy to " + describe()
                + ": it is not a directory on the server");
    }

    @Override
    public Map<String, Long> list() throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try {
            refuseLinks();
            if (lstat(address.path()) == null) return out;
            walk("", out);
        } catch (SftpException e) {
            throw failed("list", e);
        } catch (IOException e) {
            throw lost(e);
        }
        return out;
    }

    private void walk(String rel, Map<String, Long> out) throws IOException {
        String dir = rel.isEmpty() ? address.path() : address.path() + "/" + rel;
        for (SftpClient.DirEntry e : sftp.readDir(dir)) {
            String n = e.getFilename();
            if (n.equals(".") || n.equals("..")) continue;
            String name = rel.isEmpty() ? n : rel + "/" + n;
            SftpClient.Attributes a = e.getAttributes(); // OpenSSH's readdir attributes are lstat's
            if (a.isSymbolicLink()) {
                throw new RepositoryUsageException("refusing to copy to " + describe() + ": it holds a symbolic link "
                        + name + " on the server; kiban never follows a link inside a repository: remove it");
            }
            if (a.isDirectory()) {
                if (name.split("/").length < 3) walk(name, out); // packs/ab is as deep as a repository goes
            } else if (a.isRegularFile()) {
                out.put(name, a.getSize());
            }
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        try {
            return lstat(path(name)) != null;
        } catch (SftpException e) {
            throw failed("read", e);
        } catch (IOException e) {
            throw lost(e);
        }
    }

    @Override
    public boolean putIfAbsent(String name, byte[] content) throws IOException {
        if (!locked) throw new IllegalStateException("lock the target first");
        String file = path(name);
        String dir = file.substring(0, file.lastIndexOf('/'));
        String temp = dir + "/." + file.substring(dir.length() + 1) + "." + UUID.randomUUID() + ".tmp";
        try {
            directories(name);
            SftpClient.Attributes there = lstat(file);
            if (there != null) {
                if (!there.isRegularFile()) throw linkRefused(name);
                return false;
            }
            try (OutputStream out = sftp.write(temp, IO_BUFFER, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                    SftpClient.OpenMode.Exclusive)) {
                out.write(content);
            } catch (SftpException e) {
                quietRemove(temp);
                if (e.getStatus() == SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM
                        || e.getStatus() == SftpConstants.SSH_FX_QUOTA_EXCEEDED
                        || e.getStatus() == SftpConstants.SSH_FX_FAILURE) {
                    // OpenSSH's server speaks SFTP 3, which reports a full disk as a plain "failure"
                    throw new CopyDiskFullException(describe(), "the SFTP server of " + describe()
                            + " refused a write (" + status(e) + "): its disk or the user's quota is most likely full",
                            e);
                }
                throw failed("write " + name, e);
            }
            try {
                sftp.rename(temp, file); // SFTP 3 rename: fails when the name exists, never replaces
            } catch (SftpException e) {
                quietRemove(temp);
                if (lstat(file) != null) return false;
                throw failed("rename into " + name, e);
            }
            return true;
        } catch (SftpException e) {
            throw failed("write " + name, e);
        } catch (CopyDiskFullException | RepositoryUsageException e) {
            throw e;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Each directory on the way to {@code name}, made here and checked with lstat to be a real directory. */
    private void directories(String name) throws IOException {
        String[] parts = name.split("/");
        String d = address.path();
        for (int i = 0; i < parts.length - 1; i++) {
            d = d + "/" + parts[i];
            SftpClient.Attributes a = lstat(d);
            if (a == null) {
                sftp.mkdir(d);
                a = lstat(d);
            }
            if (a == null || !a.isDirectory()) throw linkRefused(d.substring(address.path().length() + 1));
        }
    }

    private RepositoryUsageException linkRefused(String name) {
        return new RepositoryUsageException("refusing to write " + name + " at " + describe() + ": it is a symbolic "
                + "link or not what a repository holds there; kiban never follows a link: remove it on the server");
    }

    private void quietRemove(String path) {
        try {
            sftp.remove(path);
        } catch (IOException ignored) {
            // a temporary name: the next copy's lock removes it
        }
    }

    @Override
    public void discard(String name) throws IOException {
        try {
            sftp.remove(path(name));
        } catch (IOException e) {
            throw lost(e);
        }
    }

    @Override
    public InputStream read(String name) throws IOException {
        try {
            SftpClient.Attributes a = lstat(path(name));
            if (a == null || !a.isRegularFile()) throw linkRefused(name);
            try (InputStream in = sftp.read(path(name), IO_BUFFER)) {
                return new ByteArrayInputStream(in.readAllBytes());
            }
        } catch (SftpException e) {
            throw failed("read back " + name, e);
        } catch (RepositoryUsageException e) {
            throw e;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    @Override
    public void lock() throws IOException {
        String lockFile = path(RepositoryLock.FILE);
        try {
            if (lstat(address.path()) == null) sftp.mkdir(address.path());
            refuseLinks();
            CopyLockOwner me = CopyLockOwner.me();
            for (int attempt = 0; attempt < 2 && !locked; attempt++) {
                try (OutputStream out = sftp.write(lockFile, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Exclusive)) {
                    out.write(me.line());
                    locked = true;
                    CopyLockOwner.held(describe(), true);
                } catch (SftpException e) {
                    SftpClient.Attributes a = lstat(lockFile);
                    if (a == null) throw failed("create the lock " + RepositoryLock.FILE, e);
                    if (!a.isRegularFile()) throw linkRefused(RepositoryLock.FILE);
                    byte[] held;
                    try (InputStream in = sftp.read(lockFile)) {
                        held = in.readNBytes(512);
                    }
                    var owner = CopyLockOwner.parse(held);
                    if (attempt == 0 && owner.isPresent() && owner.get().staleHere(describe())) {
                        sftp.remove(lockFile); // this host's copy that was killed
                        continue;
                    }
                    throw new CopyTargetUnavailableException(describe() + " is locked by "
                            + owner.map(CopyLockOwner::describe).orElse("another program") + "; if no copy runs "
                            + "there, remove " + lockFile + " on the server and run again");
                }
            }
            removeTemporaries("");
            String snapshots = address.path() + "/snapshots";
            SftpClient.Attributes s = lstat(snapshots);
            if (s == null) sftp.mkdir(snapshots);
            else if (!s.isDirectory()) throw linkRefused("snapshots");
        } catch (SftpException e) {
            throw failed("lock", e);
        } catch (CopyTargetUnavailableException | RepositoryUsageException e) {
            throw e;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private void removeTemporaries(String rel) throws IOException {
        String dir = rel.isEmpty() ? address.path() : address.path() + "/" + rel;
        List<String> subdirs = new ArrayList<>();
        for (SftpClient.DirEntry e : sftp.readDir(dir)) {
            String n = e.getFilename();
            if (n.equals(".") || n.equals("..")) continue;
            SftpClient.Attributes a = e.getAttributes();
            if (a.isRegularFile() && TEMP.matcher(n).matches()) sftp.remove(dir + "/" + n);
            else if (a.isDirectory() && (rel.isEmpty() || rel.split("/").length < 2)) {
                subdirs.add(rel.isEmpty() ? n : rel + "/" + n);
            }
        }
        for (String d : subdirs) removeTemporaries(d);
    }

    private IOException failed(String what, SftpException e) {
        if (e.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED) {
            throw new CopyTargetUnavailableException("the SFTP server refused to " + what + " at " + describe()
                    + ": permission denied for " + address.user());
        }
        // the server's refusal is the environment's (exit 3), never mistaken below for a lost connection
        throw new CopyTargetUnavailableException("the SFTP server could not " + what + " at " + describe() + " ("
                + status(e) + "): what was sent stays valid; run kiban backup copy again once it can");
    }

    private static String status(SftpException e) {
        return SftpConstants.getStatusName(e.getStatus());
    }

    private CopyTargetUnavailableException lost(IOException e) {
        return new CopyTargetUnavailableException("the connection to " + describe() + " was lost ("
                + (e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getMessage().lines().findFirst().orElse(""))
                + "): what was sent stays valid; run kiban backup copy again to send the rest");
    }

    @Override
    public void close() throws IOException {
        try {
            if (locked && session.isOpen()) {
                try {
                    sftp.remove(path(RepositoryLock.FILE));
                } catch (IOException ignored) {
                    // the lock of a lost connection stays: the next copy from this host finds its pid gone
                }
            }
            locked = false;
            CopyLockOwner.held(describe(), false);
            sftp.close();
        } finally {
            session.close(true);
            client.stop();
        }
    }
}
