import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The text fields `POST /api/upload` takes beside the file. */
export class UploadFields {
  @ApiPropertyOptional({
    description: 'Voice recordings only: a JSON array of 64 levels in 0..1, drawn as the waveform',
    example: '[0.1,0.4,0.8]',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  waveform?: string;
}
