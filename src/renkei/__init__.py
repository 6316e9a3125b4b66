"""Renkei: one shared funnel for B2B marketing, inside sales and field sales."""
