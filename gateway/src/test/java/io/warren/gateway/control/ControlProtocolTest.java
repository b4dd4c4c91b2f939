package io.warren.gateway.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ControlProtocolTest {
    static final Caller ROOT = Caller.of("root", "warren");
    static final Caller GROUP_MEMBER = Caller.of("alice", "warren");

    /** Records calls; answers with fixed values. */
    static class FakeBackend implements ControlBackend {
        final List<String> calls = new ArrayList<>();
        ReloadReport reload = new ReloadReport(true, List.of("peers of wg0: +1 -0 ~0"));

        @Override
        public StatusReport status() {
            calls.add("status");
            return new StatusReport(1_700_000_000L, List.of(new StatusReport.Interface("wg0", "PUB", 51820,
                    List.of("10.0.0.1/24"), List.of(), Map.of())), List.of(), List.of(), List.of());
        }

        @Override
        public ReloadReport reload() {
            calls.add("reload");
            return reload;
        }

        @Override
        public ClientAdded addClient(ControlRequest.ClientAdd r) throws ControlFailure {
            calls.add("add " + r.name() + " " + r.iface() + " " + r.endpoint() + " " + r.allowedIps());
            if (r.name().equals("taken")) {
                throw new ControlFailure(ControlFailure.REJECTED, "name taken");
            }
            return new ClientAdded(r.name(), "wg0", "10.0.0.2/32", "[Interface]\n", List.of());
        }
    }

    private static JsonNode ask(ControlProtocol p, String request, Caller caller) throws Exception {
        return ControlCodec.MAPPER.readTree(p.handle(request.getBytes(StandardCharsets.UTF_8), caller));
    }

    @Test
    void statusReloadAndClientAddReachTheBackend() throws Exception {
        FakeBackend b = new FakeBackend();
        ControlProtocol p = new ControlProtocol(b);
        JsonNode status = ask(p, "{\"command\":\"status\"}", GROUP_MEMBER);
        assertTrue(status.get("ok").asBoolean());
        assertEquals("wg0", status.at("/result/interfaces/0/name").asText());
        assertEquals(51820, status.at("/result/interfaces/0/listen_port").asInt(), "snake_case on the wire");
        JsonNode reload = ask(p, "{\"command\":\"reload\"}", ROOT);
        assertTrue(reload.at("/result/applied").asBoolean());
        JsonNode add = ask(p, "{\"command\":\"client-add\",\"name\":\"bob\",\"interface\":\"wg0\","
                + "\"endpoint\":\"vpn.example.org\",\"allowed_ips\":[\"10.0.0.0/24\"]}", Caller.of("warren", "warren"));
        assertEquals("10.0.0.2/32", add.at("/result/address").asText());
        assertEquals(List.of("status", "reload", "add bob wg0 vpn.example.org [10.0.0.0/24]"), b.calls);
    }

    @Test
    void groupMembersMayOnlyReadStatus() throws Exception {
        FakeBackend b = new FakeBackend();
        ControlProtocol p = new ControlProtocol(b);
        for (String req : List.of("{\"command\":\"reload\"}", "{\"command\":\"client-add\",\"name\":\"x\"}")) {
            JsonNode r = ask(p, req, GROUP_MEMBER);
            assertFalse(r.get("ok").asBoolean());
            assertEquals("forbidden", r.at("/error/code").asText());
            JsonNode unknown = ask(p, req, new Caller(null, false));
            assertEquals("forbidden", unknown.at("/error/code").asText());
        }
        assertTrue(b.calls.isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                               | request is not JSON",
        "not json                                         | request is not JSON",
        "[1,2]                                            | request must be a JSON object",
        "42                                               | request must be a JSON object",
        "{}                                               | missing \"command\"",
        "{\"command\":7}                                  | \"command\" must be a string",
        "{\"command\":\"stop\"}                           | unknown command \"stop\" (status, reload, client-add)",
        "{\"command\":\"status\",\"verbose\":true}        | unknown field \"verbose\"",
        "{\"command\":\"client-add\"}                     | missing \"name\"",
        "{\"command\":\"client-add\",\"name\":[1]}        | \"name\" must be a string",
        "{\"command\":\"client-add\",\"name\":\"a\",\"allowed_ips\":\"x\"} | \"allowed_ips\" must be an array of strings",
        "{\"command\":\"client-add\",\"name\":\"a\",\"allowed_ips\":[1]}   | \"allowed_ips\" must be an array of strings",
        "{\"command\":\"status\"                          | request is not JSON",
    })
    void malformedRequestsAreAnsweredNotThrown(String request, String message) throws Exception {
        FakeBackend b = new FakeBackend();
        JsonNode r = ask(new ControlProtocol(b), request, ROOT);
        assertFalse(r.get("ok").asBoolean());
        assertEquals("bad-request", r.at("/error/code").asText());
        assertEquals(message, r.at("/error/message").asText());
        assertTrue(b.calls.isEmpty());
    }

    @Test
    void backendFailuresBecomeErrorReplies() throws Exception {
        FakeBackend b = new FakeBackend();
        JsonNode r = ask(new ControlProtocol(b), "{\"command\":\"client-add\",\"name\":\"taken\"}", ROOT);
        assertEquals("rejected", r.at("/error/code").asText());
        assertEquals("name taken", r.at("/error/message").asText());

        ControlBackend broken = new FakeBackend() {
            @Override
            public StatusReport status() {
                throw new IllegalStateException("boom");
            }
        };
        JsonNode crash = ask(new ControlProtocol(broken), "{\"command\":\"status\"}", ROOT);
        assertEquals("internal", crash.at("/error/code").asText());
        assertEquals("internal error: IllegalStateException", crash.at("/error/message").asText());
    }

    @Test
    void requestsRoundTripThroughTheCodec() throws Exception {
        ControlRequest add = new ControlRequest.ClientAdd("alice", "wg1", "[2001:db8::1]:51820", List.of("10.1.0.0/16"));
        byte[] wire = ControlCodec.encodeRequest(add);
        assertEquals('\n', wire[wire.length - 1]);
        assertEquals(add, ControlCodec.decodeRequest(wire));
        assertEquals(new ControlRequest.Status(), ControlCodec.decodeRequest(ControlCodec.encodeRequest(new ControlRequest.Status())));
        ControlRequest bare = new ControlRequest.ClientAdd("bob", null, null, List.of());
        assertEquals(bare, ControlCodec.decodeRequest(ControlCodec.encodeRequest(bare)));
    }
}
