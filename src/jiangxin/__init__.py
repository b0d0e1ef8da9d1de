"""匠心 Jiangxin — runs high-skill talent programs exactly as their policy documents say."""

__version__ = "0.1.0"
