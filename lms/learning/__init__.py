"""What a trainee sees: catalogue, module pages, activities, progress."""
