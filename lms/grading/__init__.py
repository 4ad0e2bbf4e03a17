"""Rubrics, grading queue, grades and their history."""
