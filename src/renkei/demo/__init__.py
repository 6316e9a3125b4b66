"""Realistic demo data: a Japanese B2B SaaS company's year of funnel history.

`renkei.demo.seed.seed()` is the entry point (`./renkei seed`, `./renkei demo`).
"""
