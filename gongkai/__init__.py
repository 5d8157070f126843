"""gongkai (公开): a static-site generator for a Chinese county's government-openness material."""

__version__ = "0.1.0"
