package io.warren.gateway.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * JSON encoding of requests and replies (Jackson). Pure functions; the mapper is thread-safe.
 * Decoding a request is strict: unknown commands and unknown or mistyped fields are refused.
 */
public final class ControlCodec {
    /** Largest request accepted: they are a few hundred bytes. */
    public static final int MAX_REQUEST = 16 * 1024;
    /** Largest reply a client accepts. */
    public static final int MAX_REPLY = 8 * 1024 * 1024;

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Set<String> CLIENT_ADD_FIELDS = Set.of("command", "name", "interface", "endpoint", "allowed_ips");

    private ControlCodec() {
    }

    /**
     * Requests are read strictly (RFC 8259 §4): a name given twice is refused rather than resolved
     * by "last one wins" (which other readers of the same bytes may resolve otherwise), and nothing
     * may follow the object.
     */
    private static final ObjectReader REQUEST_READER = MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Parses one request. */
    public static ControlRequest decodeRequest(byte[] bytes) throws ControlFailure {
        JsonNode root;
        try {
            root = REQUEST_READER.readTree(bytes);
        } catch (IOException e) {
            throw new ControlFailure(ControlFailure.BAD_REQUEST, "request is not JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new ControlFailure(ControlFailure.BAD_REQUEST, "request is not JSON");
        }
        if (!root.isObject()) {
            throw new ControlFailure(ControlFailure.BAD_REQUEST, "request must be a JSON object");
        }
        String command = text(root, "command", true);
        switch (command) {
            case "status":
                onlyFields(root, Set.of("command"));
                return new ControlRequest.Status();
            case "reload":
                onlyFields(root, Set.of("command"));
                return new ControlRequest.Reload();
            case "client-add":
                onlyFields(root, CLIENT_ADD_FIELDS);
                return new ControlRequest.ClientAdd(text(root, "name", true), text(root, "interface", false),
                        text(root, "endpoint", false), strings(root, "allowed_ips"));
            default:
                throw new ControlFailure(ControlFailure.BAD_REQUEST, "unknown command \"" + command
                        + "\" (status, reload, client-add)");
        }
    }

    /** The wire form of a request (client side), newline-terminated. */
    public static byte[] encodeRequest(ControlRequest request) {
        ObjectNode o = MAPPER.createObjectNode().put("command", request.command());
        if (request instanceof ControlRequest.ClientAdd add) {
            o.put("name", add.name());
            if (add.iface() != null) {
                o.put("interface", add.iface());
            }
            if (add.endpoint() != null) {
                o.put("endpoint", add.endpoint());
            }
            if (!add.allowedIps().isEmpty()) {
                add.allowedIps().forEach(o.putArray("allowed_ips")::add);
            }
        }
        return (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A reply, newline-terminated. */
    public static byte[] encodeReply(ControlReply reply) {
        try {
            return (MAPPER.writeValueAsString(reply) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            return ("{\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"cannot encode the reply\"}}\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Parses a reply (client side). */
    public static ControlReply decodeReply(byte[] bytes) throws IOException {
        return MAPPER.readValue(bytes, ControlReply.class);
    }

    /** A value as a JSON tree (for a success reply). */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A JSON tree as a record (client side). */
    public static <T> T fromTree(JsonNode node, Class<T> type) throws IOException {
        return MAPPER.treeToValue(node, type);
    }

    /** Indented JSON, for {@code warren status --json}. */
    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    private static void onlyFields(JsonNode root, Set<String> allowed) throws ControlFailure {
        for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ControlFailure(ControlFailure.BAD_REQUEST, "unknown field \"" + f + "\"");
            }
        }
    }

    private static String text(JsonNode root, String field, boolean required) throws ControlFailure {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new ControlFailure(ControlFailure.BAD_REQUEST, "missing \"" + field + "\"");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new ControlFailure(ControlFailure.BAD_REQUEST, "\"" + field + "\" must be a string");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode root, String field) throws ControlFailure {
        JsonNode n = root.get(field);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray() || n.size() > 64) {
            throw new ControlFailure(ControlFailure.BAD_REQUEST, "\"" + field + "\" must be an array of strings");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new ControlFailure(ControlFailure.BAD_REQUEST, "\"" + field + "\" must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }
}
