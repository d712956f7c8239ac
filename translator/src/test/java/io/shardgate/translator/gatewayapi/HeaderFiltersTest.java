package io.shardgate.translator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.model.HeaderEdits;
import io.shardgate.translator.model.NameValue;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeaderFiltersTest {

    private static HttpRouteInput.Filter request(List<HttpRouteInput.Header> set, List<String> remove) {
        return new HttpRouteInput.Filter(HeaderFilters.REQUEST, new HttpRouteInput.HeaderModifier(set, List.of(), remove));
    }

    private static HttpRouteInput.Header header(String name, String value) {
        return new HttpRouteInput.Header(name, value);
    }

    @Test
    void editsAreLowerCasedPerDirection() {
        HeaderFilters.Checked checked = HeaderFilters.check(List.of(
                request(List.of(header("X-Prefix", "/v1")), List.of("X-Debug")),
                new HttpRouteInput.Filter(HeaderFilters.RESPONSE,
                        new HttpRouteInput.HeaderModifier(List.of(), List.of(header("Vary", "origin")), List.of()))));

        assertThat(checked).isEqualTo(new HeaderFilters.Checked.Ok(
                new HeaderEdits(List.of(new NameValue("x-prefix", "/v1")), List.of(), List.of("x-debug")),
                new HeaderEdits(List.of(), List.of(new NameValue("vary", "origin")), List.of())));
    }

    @Test
    void whatEnvoyWouldRefuseOrTheSpecificationForbidsIsInvalid() {
        List<HttpRouteInput.Filter> invalid = List.of(
                request(List.of(header("x a", "1")), List.of()),
                request(List.of(header("HOST", "elsewhere")), List.of()),
                request(List.of(), List.of("host")),
                request(List.of(header("x-a", "1\r\nx-b: 2")), List.of()),
                request(List.of(header("x-a", "1"), header("X-A", "2")), List.of()),
                request(IntStream.range(0, 17).mapToObj(i -> header("x-" + i, "v")).toList(), List.of()),
                new HttpRouteInput.Filter(HeaderFilters.RESPONSE, null));
        for (HttpRouteInput.Filter filter : invalid) {
            assertThat(HeaderFilters.check(List.of(filter))).as("%s", filter).isInstanceOf(HeaderFilters.Checked.Invalid.class);
        }
        assertThat(HeaderFilters.check(List.of(request(List.of(), List.of("a")), request(List.of(), List.of("b")))))
                .as("the same filter type twice").isInstanceOf(HeaderFilters.Checked.Invalid.class);
        assertThat(HeaderFilters.check(List.of(request(List.of(header("x-tab", "a\tb")), List.of()))))
                .as("a tab is a valid header value character").isInstanceOf(HeaderFilters.Checked.Ok.class);
    }
}
