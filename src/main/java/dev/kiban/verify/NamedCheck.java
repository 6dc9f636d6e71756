package dev.kiban.verify;

/**
 * A check made of its names and a body: how the checks of {@link UnitChecks} and {@link IntegrationChecks}
 * are built.
 */
record NamedCheck(String id, String group, String requirement, String title, Body body) implements Check {
    @FunctionalInterface
    interface Body {
        Outcome run(CheckContext context) throws Exception;
    }

    @Override
    public Outcome run(CheckContext context) throws Exception {
        return body.run(context);
    }
}
