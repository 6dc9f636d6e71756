package dev.kiban.archfixture.backup;

/** A capability of the fixture tree. */
public class Backup {}
