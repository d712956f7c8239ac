package io.shardgate.translator.tls;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The blocks of a PEM file ("-----BEGIN TYPE-----" base64 "-----END TYPE-----"); text around them is ignored. */
final class PemBlocks {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");

    record Block(String type, byte[] der) {}

    private PemBlocks() {}

    /** @throws IllegalArgumentException on a block whose body is not base64 */
    static List<Block> parse(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2).replaceAll("\\s", "");
            blocks.add(new Block(m.group(1), Base64.getDecoder().decode(body)));
        }
        return blocks;
    }
}
