package io.warren.gateway.daemon;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link Service#apply} when parts of a reload could not be put into service; the service
 * has applied everything else and kept the running state of each part named (for a tunnel that did
 * not reopen, its previous settings).
 */
public final class ApplyFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ReloadProblem> problems;

    public ApplyFailure(List<ReloadProblem> problems) {
        super(problems.stream().map(p -> String.join(".", p.key()) + ": " + p.reason())
                .collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    /** What was not applied, and why. */
    public List<ReloadProblem> problems() {
        return problems;
    }
}
