package dev.kiban.migrate;

import java.util.Locale;

/**
 * Where the tasks read their secrets (R10.2): Secrets Manager secrets, or Parameter Store SecureString
 * parameters. kiban declares them by name; it never copies or writes a value.
 */
public enum SecretStore {
    SECRETSMANAGER("Secrets Manager secret"),
    SSM("Parameter Store SecureString parameter");

    /**
     * The only value Terraform gives a parameter (Parameter Store has none without one): a write-only
     * argument, so it never reaches Terraform's state, and set once (value_wo_version), so a real value put
     * in later is never overwritten.
     */
    public static final String PLACEHOLDER = "CHANGE_ME";

    private final String what;

    SecretStore(String what) {
        this.what = what;
    }

    /** What one entry is called, for notes: "Secrets Manager secret". */
    public String what() {
        return what;
    }

    /** The option's word: secretsmanager, ssm. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A parameter's name for a kiban secret name ({@code stack/name}): Parameter Store wants a path that
     * starts with a slash when it has slashes.
     */
    public static String parameterName(String secret) {
        return "/" + secret;
    }
}
