package dev.kiban.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a job runs: a cron line ({@code 0 2 * * 0}, the design's form) or a systemd calendar event
 * ({@code Sun *-*-* 02:00:00}). kiban installs systemd timers, so {@link #onCalendar()} gives the
 * systemd form of either.
 */
public record Schedule(String expression, String onCalendar) {
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> SHORTHANDS = List.of("minutely", "hourly", "daily", "weekly", "monthly", "yearly",
            "annually", "quarterly", "semiannually");

    public static Schedule parse(String text) {
        try {
            return read(text);
        } catch (NumberFormatException e) {
            // a number too long for an int: out of every field's range anyway
            throw new IllegalArgumentException("expected a cron line like \"0 2 * * 0\" or a calendar event like "
                    + "\"Sun *-*-* 02:00:00\"; a number in " + SpecText.shown(text) + " is out of range");
        }
    }

    private static Schedule read(String text) {
        String t = text.trim().replaceAll("\\s+", " ");
        if (t.isEmpty()) {
            throw new IllegalArgumentException("expected a cron line like \"0 2 * * 0\" or a calendar event like \"Sun "
                    + "*-*-* 02:00:00\"");
        }
        if (t.startsWith("@")) return new Schedule(t, cronMacro(t));
        String[] fields = t.split(" ");
        if (fields.length == 5 && !t.contains(":")) return new Schedule(t, cronToCalendar(fields));
        return new Schedule(t, checkCalendar(t));
    }

    @Override
    public String toString() {
        return expression;
    }

    /**
     * At most how long passes between two runs, rounded up to what the calendar's form allows (a weekday: a week;
     * a day of the month: 31 days; a month: a year; else a day); empty for a fixed year, which may never come
     * again. {@code kiban verify} allows this, and a day's grace, before it calls a job missed.
     */
    public java.util.Optional<java.time.Duration> longestGap() {
        String c = onCalendar.toLowerCase(Locale.ROOT);
        java.time.Duration day = java.time.Duration.ofDays(1);
        switch (c) {
            case "minutely", "hourly", "daily" -> { return java.util.Optional.of(day); }
            case "weekly" -> { return java.util.Optional.of(day.multipliedBy(7)); }
            case "monthly" -> { return java.util.Optional.of(day.multipliedBy(31)); }
            case "quarterly" -> { return java.util.Optional.of(day.multipliedBy(92)); }
            case "semiannually" -> { return java.util.Optional.of(day.multipliedBy(184)); }
            case "yearly", "annually" -> { return java.util.Optional.of(day.multipliedBy(366)); }
            default -> { }
        }
        String[] tokens = c.split(" ");
        boolean weekday = tokens[0].matches("[a-z].*");
        String date = java.util.Arrays.stream(tokens).filter(t -> t.contains("-") && !t.contains(":")).findFirst()
                .orElse("*-*");
        String[] ymd = date.split("-", -1);
        int o = ymd.length - 2;
        if (o == 1 && !ymd[0].equals("*")) return java.util.Optional.empty();
        if (!ymd[o].equals("*")) return java.util.Optional.of(day.multipliedBy(366));
        if (!ymd[o + 1].equals("*")) return java.util.Optional.of(day.multipliedBy(31));
        return java.util.Optional.of(weekday ? day.multipliedBy(7) : day);
    }

    // --- cron -------------------------------------------------------------------------------

    private static String cronMacro(String t) {
        return switch (t) {
            case "@hourly" -> "hourly";
            case "@daily", "@midnight" -> "daily";
            case "@weekly" -> "weekly";
            case "@monthly" -> "monthly";
            case "@yearly", "@annually" -> "yearly";
            default -> throw new IllegalArgumentException("unknown cron macro \"" + t
                    + "\" (use @hourly, @daily, @weekly, @monthly or @yearly)");
        };
    }

    private static String cronToCalendar(String[] f) {
        String minute = cronField(f[0], "minute", 0, 59, List.of(), 0);
        String hour = cronField(f[1], "hour", 0, 23, List.of(), 0);
        String day = cronField(f[2], "day of month", 1, 31, List.of(), 1);
        String month = cronField(f[3], "month", 1, 12, MONTHS, 1);
        String weekday = cronWeekdays(f[4]);
        if (!f[2].equals("*") && !f[4].equals("*")) {
            // cron runs when EITHER matches; systemd when both do: refuse rather than change the meaning.
            throw new IllegalArgumentException("cron with both a day of month and a weekday means either-or, which a "
                    + "systemd timer cannot express; use a calendar event");
        }
        return (weekday.isEmpty() ? "" : weekday + " ") + "*-" + month + "-" + day + " " + pad(hour) + ":"
                + pad(minute) + ":00";
    }

    private static String pad(String field) {
        return field.matches("\\d") ? "0" + field : field;
    }

    /** Validates one cron field and returns its systemd spelling. */
    private static String cronField(String field, String name, int min, int max, List<String> names, int stepStart) {
        List<String> out = new ArrayList<>();
        for (String item : field.split(",", -1)) {
            String range = item;
            String step = null;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = item.substring(slash + 1);
                if (!step.matches("\\d+") || Integer.parseInt(step) == 0) {
                    throw bad(name, field, "a step is a positive number");
                }
            }
            String converted;
            if (range.equals("*")) {
                converted = step == null ? "*" : stepStart + "";
            } else if (range.contains("-")) {
                String[] ab = range.split("-", -1);
                int a = value(ab[0], name, field, min, max, names);
                int b = value(ab[1], name, field, min, max, names);
                if (a > b) throw bad(name, field, "a range runs from low to high");
                converted = a + ".." + b;
            } else {
                converted = String.valueOf(value(range, name, field, min, max, names));
            }
            out.add(step == null ? converted : converted + "/" + step);
        }
        return String.join(",", out);
    }

    private static String cronWeekdays(String field) {
        if (field.equals("*")) return "";
        List<String> out = new ArrayList<>();
        for (String item : field.split(",", -1)) {
            if (item.contains("/")) throw bad("day of week", field, "steps in weekdays cannot be expressed as a timer");
            String[] ab = item.split("-", -1);
            int a = value(ab[0], "day of week", field, 0, 7, DAYS) % 7;
            if (ab.length == 1) {
                out.add(dayName(a));
            } else {
                int b = value(ab[1], "day of week", field, 0, 7, DAYS);
                if (a > b) throw bad("day of week", field, "a range runs from low to high");
                out.add(dayName(a) + ".." + dayName(b % 7));
            }
        }
        return String.join(",", out);
    }

    private static String dayName(int d) {
        String n = DAYS.get(d);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static int value(String text, String name, String field, int min, int max, List<String> names) {
        int named = names.indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) return named + (names == MONTHS ? 1 : 0);
        if (!text.matches("\\d+")) {
            throw bad(name, field, "\"" + text + "\" is not a number" + (names.isEmpty() ? "" : " or a name"));
        }
        int v = Integer.parseInt(text);
        if (v < min || v > max) throw bad(name, field, v + " is outside " + min + "-" + max);
        return v;
    }

    private static IllegalArgumentException bad(String name, String field, String why) {
        return new IllegalArgumentException("bad cron " + name + " field \"" + field + "\": " + why);
    }

    // --- systemd calendar events ------------------------------------------------------------

    private static String checkCalendar(String t) {
        if (SHORTHANDS.contains(t.toLowerCase(Locale.ROOT))) return t;
        String[] tokens = t.split(" ");
        if (tokens.length > 3) throw calendar(t, "too many parts; the form is [WEEKDAYS] [YYYY-MM-DD] [HH:MM[:SS]]");
        int i = 0;
        if (tokens[i].matches("[A-Za-z].*")) {
            checkWeekdays(tokens[i], t);
            i++;
        }
        if (i < tokens.length && tokens[i].contains("-") && !tokens[i].contains(":")) {
            String[] date = tokens[i].split("-", -1);
            if (date.length < 2 || date.length > 3) throw calendar(t, "a date is YYYY-MM-DD or MM-DD");
            int o = date.length - 2;
            if (o == 1) checkComponent(date[0], 1970, 2199, "year", t);
            checkComponent(date[o], 1, 12, "month", t);
            checkComponent(date[o + 1], 1, 31, "day", t);
            i++;
        }
        if (i < tokens.length && tokens[i].contains(":")) {
            String[] time = tokens[i].split(":", -1);
            if (time.length < 2 || time.length > 3) throw calendar(t, "a time is HH:MM or HH:MM:SS");
            checkComponent(time[0], 0, 23, "hour", t);
            checkComponent(time[1], 0, 59, "minute", t);
            if (time.length == 3) checkComponent(time[2].replaceFirst("\\.\\d+$", ""), 0, 59, "second", t);
            i++;
        }
        if (i == 0 || i < tokens.length) {
            throw calendar(t, "cannot read \"" + tokens[Math.min(i, tokens.length - 1)] + "\"");
        }
        return t;
    }

    private static void checkWeekdays(String token, String t) {
        for (String item : token.split(",", -1)) {
            for (String day : item.split("\\.\\.", -1)) {
                String d = day.toLowerCase(Locale.ROOT);
                if (d.length() < 3 || !DAYS.contains(d.substring(0, 3)) || !(d.length() == 3 || fullDayName(d))) {
                    throw calendar(t, "\"" + day + "\" is not a weekday (Mon, Tue, ... Sun)");
                }
            }
        }
    }

    private static boolean fullDayName(String d) {
        return List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday").contains(d);
    }

    private static void checkComponent(String comp, int min, int max, String name, String t) {
        for (String item : comp.split(",", -1)) {
            String range = item;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                if (!item.substring(slash + 1).matches("\\d+")) {
                    throw calendar(t, "bad repetition in " + name + " \"" + item + "\"");
                }
                range = item.substring(0, slash);
            }
            if (range.equals("*")) continue;
            for (String v : range.split("\\.\\.", -1)) {
                if (!v.matches("\\d+")) {
                    throw calendar(t, name + " \"" + item + "\" is not a number, range (a..b) or *");
                }
                int n = Integer.parseInt(v);
                if (n < min || n > max) throw calendar(t, name + " " + n + " is outside " + min + "-" + max);
            }
        }
    }

    private static IllegalArgumentException calendar(String t, String why) {
        return new IllegalArgumentException("bad calendar event \"" + t + "\": " + why);
    }
}
