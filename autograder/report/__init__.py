"""What people read of a result: the terminal, what a student may see, the feedback, the deadline in words."""
