package io.shardgate.translator.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to re-wrap PKCS#1 RSA and SEC1 EC private keys as PKCS#8, the one format the JDK's
 * KeyFactory reads. Not a general ASN.1 library.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int CONTEXT_0 = 0xA0;
    static final int CONTEXT_1 = 0xA1;
    static final int BIT_STRING = 0x03;

    /** One tag-length-value: {@code encoded} is the whole TLV, {@code content} its value. */
    record Tlv(int tag, byte[] encoded, byte[] content) {}

    private Der() {}

    /** The elements of a SEQUENCE. @throws IllegalArgumentException on malformed input */
    static List<Tlv> sequenceElements(byte[] der) {
        Tlv seq = read(der, 0);
        if (seq.tag != SEQUENCE || seq.encoded.length != der.length) throw new IllegalArgumentException("not a DER sequence");
        List<Tlv> out = new ArrayList<>();
        int pos = 0;
        while (pos < seq.content.length) {
            Tlv t = read(seq.content, pos);
            out.add(t);
            pos += t.encoded.length;
        }
        return out;
    }

    /** One TLV that must span all of {@code der}. @throws IllegalArgumentException on malformed input */
    static Tlv single(byte[] der) {
        Tlv t = read(der, 0);
        if (t.encoded.length != der.length) throw new IllegalArgumentException("trailing bytes after DER value");
        return t;
    }

    private static Tlv read(byte[] in, int start) {
        if (start + 2 > in.length) throw new IllegalArgumentException("truncated DER");
        int tag = in[start] & 0xFF;
        int pos = start + 1;
        int len = in[pos++] & 0xFF;
        if (len >= 0x80) {
            int bytes = len & 0x7F;
            if (bytes == 0 || bytes > 3 || pos + bytes > in.length) throw new IllegalArgumentException("bad DER length");
            len = 0;
            for (int i = 0; i < bytes; i++) len = (len << 8) | (in[pos++] & 0xFF);
        }
        if (pos + len > in.length) throw new IllegalArgumentException("truncated DER");
        return new Tlv(tag, Arrays.copyOfRange(in, start, pos + len), Arrays.copyOfRange(in, pos, pos + len));
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) content.writeBytes(p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.size();
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    static byte[] integerZero() {
        return new byte[] {INTEGER, 1, 0};
    }

    static byte[] nullValue() {
        return new byte[] {NULL, 0};
    }
}
