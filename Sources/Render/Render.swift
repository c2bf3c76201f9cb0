// Render stage
