package io.shardgate.translator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hostname intersection of the Gateway API specification (HTTPRouteSpec.hostnames), case by case. */
class ListenerHostnamesTest {

    @ParameterizedTest(name = "listener {0}, route {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // No hostname on either side: every host, the plain-HTTP catch-all.
            "-                | -                                  | *",
            // A listener without hostname admits the route's names as they are.
            "-                | Foo.example.com *.example.net      | foo.example.com *.example.net",
            // A route without hostnames inherits the listener's.
            "*.example.com    | -                                  | *.example.com",
            "foo.example.com  | foo.example.com bar.example.com    | foo.example.com",
            // A wildcard listener covers names of any depth under it, and more specific wildcards.
            "*.example.com    | a.example.com a.b.example.com *.b.example.com example.com other.net | a.example.com a.b.example.com *.b.example.com",
            // A route wildcard wider than the listener's name narrows to the listener's.
            "foo.example.com  | *.example.com                      | foo.example.com",
            "*.a.example.com  | *.example.com                      | *.a.example.com",
            // Duplicates collapse; no intersection at all gives nothing.
            "foo.example.com  | foo.example.com *.example.com      | foo.example.com",
            "foo.example.com  | bar.example.com                    | ''",
    })
    void intersectsAsTheSpecificationSays(String listener, String route, String expected) {
        List<String> routeNames = route == null ? List.of() : List.of(route.split(" "));
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        assertThat(ListenerHostnames.intersect(listener, routeNames)).containsExactlyElementsOf(want);
    }
}
