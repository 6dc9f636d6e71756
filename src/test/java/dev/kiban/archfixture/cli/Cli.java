package dev.kiban.archfixture.cli;

/** The top layer of the fixture tree: nothing may use it. */
public class Cli {}
