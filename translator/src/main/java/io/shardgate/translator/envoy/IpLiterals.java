package io.shardgate.translator.envoy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP address literals as Envoy accepts them in EDS, checked without any name lookup. */
final class IpLiterals {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiterals() {}

    static boolean isIpLiteral(String address) {
        if (IPV4.matcher(address).matches()) return true;
        if (!address.contains(":") || !IPV6_CHARS.matcher(address).matches()) return false;
        try {
            // Brackets make the JDK parse an IPv6 literal and never resolve a name.
            InetAddress.getByName("[" + address + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
