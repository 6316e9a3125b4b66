"""The shared funnel: lifecycle stages, the transition table, stage changes, timeline."""
