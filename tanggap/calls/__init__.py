"""Phone calls on the timeline: logged by agents or posted by a telephony webhook (issue 8)."""
