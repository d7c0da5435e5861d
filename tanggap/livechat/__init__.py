"""Live chat on the business's website: the widget, real-time delivery, availability (issue 8)."""
