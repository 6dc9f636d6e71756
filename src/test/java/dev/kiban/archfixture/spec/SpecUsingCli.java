package dev.kiban.archfixture.spec;

import dev.kiban.archfixture.cli.Cli;

/** Forbidden: the spec, at the bottom, uses the cli. */
public class SpecUsingCli {
    Cli cli;
}
