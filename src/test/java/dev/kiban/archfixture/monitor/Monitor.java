package dev.kiban.archfixture.monitor;

/** Another capability of the fixture tree. */
public class Monitor {}
