"""Views of the agent console and the customer portal, one module per screen."""
