package io.tfoagent.it.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed EC certificate for test servers (nginx), made by the JDK's keytool so that no
 * openssl package is needed: IP subject alternative names, which clients verify, and the key
 * written as PKCS#8 PEM beside it. Kept free of JUnit: the benchmarks use it too.
 */
public final class SelfSignedCertificate {
    private static final long KEYTOOL_TIMEOUT_SECONDS = 30;

    private SelfSignedCertificate() {}

    /** Writes {@code cert.pem} and {@code key.pem} into {@code dir}; returns the certificate's path. */
    public static Path write(Path dir, List<String> hosts) {
        String san = "san=" + String.join(",", hosts.stream().map(host -> "ip:" + host).toList());
        Path store = dir.resolve("server.p12");
        char[] password = "changeit".toCharArray();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        keytool(List.of(keytool.toString(), "-genkeypair", "-alias", "nginx", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=tfo-agent-it", "-ext", san, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(password)));
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keyStore.load(in, password);
            }
            Key key = keyStore.getKey("nginx", password);
            Certificate cert = keyStore.getCertificate("nginx");
            Path certificate = dir.resolve("cert.pem");
            Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(certificate, pem("CERTIFICATE", cert.getEncoded()));
            return certificate;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test certificate", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the keystore keytool made", e);
        }
    }

    /** A TLS 1.3 client context that trusts {@code certificate} (PEM), and nothing else. */
    public static SSLContext trustingTls13(Path certificate) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static void keytool(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
