package dev.kiban.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS server's context from a PEM certificate chain and key (what the dashboard serves beyond loopback), read
 * as {@link PemTlsConfig} reads a client's: the key PKCS#1, SEC1 or PKCS#8, by BouncyCastle's PEM parser.
 */
public final class ServerTls {
    private ServerTls() {}

    /** The context; an {@link IOException} that names the file, never its content, when one is unusable. */
    public static SSLContext context(Path certificate, Path key) throws IOException {
        try {
            KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
            keys.load(null, null);
            char[] password = new char[0];
            keys.setKeyEntry("server", PemTlsConfig.privateKey(key), password,
                    PemTlsConfig.certificates(certificate).toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("cannot use the TLS certificate " + certificate + " with the key " + key + ": "
                    + e.getClass().getSimpleName().replace("Exception", "").toLowerCase(java.util.Locale.ROOT)
                    + " problem", e);
        }
    }
}
