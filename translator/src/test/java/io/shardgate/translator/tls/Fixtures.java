package io.shardgate.translator.tls;

import com.google.protobuf.ByteString;
import io.shardgate.translator.input.TlsSecretInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The committed PEM fixtures of testdata/certs (see generate.sh there). */
public final class Fixtures {
    private static final Path CERTS = Path.of("src/test/resources/testdata/certs");

    private Fixtures() {}

    public static ByteString pem(String file) {
        try {
            return ByteString.copyFrom(Files.readAllBytes(CERTS.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TlsSecretInput secret(String name, String certificateFile, String keyFile) {
        return new TlsSecretInput("shop", name, pem(certificateFile), pem(keyFile));
    }
}
