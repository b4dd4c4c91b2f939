package io.warren.gateway.control;

import java.util.List;

/**
 * A request the daemon refused or could not carry out; becomes an error reply. The message and
 * details are shown to the admin as they are, so they never contain key material.
 */
public final class ControlFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** The malformed request: not JSON, unknown command, bad field. */
    public static final String BAD_REQUEST = "bad-request";
    /** The caller may not send this request. */
    public static final String FORBIDDEN = "forbidden";
    /** The request was understood but refused (invalid config on reload, name taken...). */
    public static final String REJECTED = "rejected";
    /** The daemon is busy or did not answer in time. */
    public static final String UNAVAILABLE = "unavailable";
    /** A bug or an I/O failure in the daemon. */
    public static final String INTERNAL = "internal";

    private final String code;
    private final transient List<String> details;

    public ControlFailure(String code, String message) {
        this(code, message, List.of());
    }

    public ControlFailure(String code, String message, List<String> details) {
        super(message);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public String code() {
        return code;
    }

    public List<String> details() {
        return details;
    }
}
