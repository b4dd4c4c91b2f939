package io.warren.gateway.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The answer to one request: {@code {"ok":true,"result":{...}}} or
 * {@code {"ok":false,"error":{"code":"rejected","message":"...","details":["..."]}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlReply(boolean ok, JsonNode result, Error error) {

    /** Why a request failed; {@code code} is one of the {@link ControlFailure} constants. */
    public record Error(String code, String message, List<String> details) {
        public Error {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    public static ControlReply success(JsonNode result) {
        return new ControlReply(true, result, null);
    }

    public static ControlReply failure(ControlFailure f) {
        return new ControlReply(false, null, new Error(f.code(), f.getMessage(), f.details()));
    }
}
